package jaglets.child.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Lambdas of the shapes agents use (a state update capturing a value, a function, a method
 * reference), for {@link WarmUp#spinLambdas()}, which loads this class in a class loader of its
 * own. Lambda classes are archived with the class data only for the JVM's own loaders, so these
 * are generated when the warm-up runs, as an agent bundle's are: the first such generation in a
 * JVM costs ten milliseconds and more, the next ones well under one.
 */
final class LambdaSpin implements BooleanSupplier {

    @Override
    public boolean getAsBoolean() {
        String suffix = "!";
        UnaryOperator<List<String>> append = list -> {
            List<String> more = new ArrayList<>(list);
            more.add("note" + suffix);
            return more;
        };
        Function<Integer, String> text = n -> "n=" + n;
        Supplier<List<String>> fresh = ArrayList::new;
        return append.apply(fresh.get()).equals(List.of("note!")) && text.apply(1).equals("n=1");
    }
}
