package jaglets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JagletStateClassTest {

    record Counter(int count) {
    }

    static class Direct extends Jaglet<Counter> {
    }

    /** A reusable base that leaves the state class to its subclasses. */
    abstract static class Base<X> extends Jaglet<X> {
    }

    static class ThroughBase extends Base<Counter> {
    }

    /** Type parameters in another order than Jaglet's: the state is the second one. */
    abstract static class Pair<A, B> extends Jaglet<B> {
    }

    static class ThroughReorderedBase extends Pair<String, Counter> {
    }

    static class SubclassOfConcrete extends Direct {
    }

    static class GenericState extends Jaglet<List<String>> {
    }

    @SuppressWarnings("rawtypes")
    static class Raw extends Jaglet {
    }

    static class StillGeneric<T> extends Jaglet<T> {
    }

    @Test
    void directSubclassDeclaresItsStateClass() {
        assertEquals(Counter.class, Jaglet.stateClassOf(Direct.class));
    }

    @Test
    void stateClassIsFoundThroughAGenericBase() {
        assertEquals(Counter.class, Jaglet.stateClassOf(ThroughBase.class));
    }

    @Test
    void stateClassFollowsTypeParametersByPositionNotByOrder() {
        assertEquals(Counter.class, Jaglet.stateClassOf(ThroughReorderedBase.class));
    }

    @Test
    void subclassOfAConcreteAgentInheritsItsStateClass() {
        assertEquals(Counter.class, Jaglet.stateClassOf(SubclassOfConcrete.class));
    }

    @Test
    void parameterizedStateTypeYieldsItsRawClass() {
        assertEquals(List.class, Jaglet.stateClassOf(GenericState.class));
    }

    @Test
    void rawSubclassIsRefusedWithACodeErrorNamingTheClass() {
        JagletException error = assertThrows(JagletException.class, () -> Jaglet.stateClassOf(Raw.class));
        assertEquals(ErrorType.CODE, error.type());
        assertTrue(error.getMessage().contains(Raw.class.getName()), error.getMessage());
        assertTrue(error.getMessage().contains("Jaglet<S>"), error.getMessage());
    }

    @Test
    void subclassThatLeavesTheStateUnboundIsRefused() {
        JagletException error = assertThrows(JagletException.class, () -> Jaglet.stateClassOf(StillGeneric.class));
        assertEquals(ErrorType.CODE, error.type());
    }
}
