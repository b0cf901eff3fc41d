package jaglets.child.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jaglets.api.ErrorType;
import jaglets.api.JagletException;
import jaglets.api.PersistentStorage;
import jaglets.api.StorageStatus;
import jaglets.protocol.Json;
import jaglets.protocol.Ops;

/** The class's persistent storage, kept by the host; each call is one host call. */
final class ChildStorage implements PersistentStorage {
    private final ChildContext context;
    /** The quota in bytes; -1 unlimited, -2 the host's default. */
    private final long quotaBytes;

    ChildStorage(ChildContext context, long quotaBytes) {
        this.context = context;
        this.quotaBytes = quotaBytes;
    }

    private JsonNode call(String action, String path, byte[] data) {
        ObjectNode body = Json.object();
        body.put("action", action);
        body.put("path", path);
        body.put("quota_bytes", quotaBytes);
        if (data != null) {
            body.set("data", Json.toTree(data));
        }
        return context.call(Ops.CTX_STORAGE, body, ChildContext.CALL_TIMEOUT);
    }

    @Override
    public byte[] readBytes(String path) {
        return (byte[]) Json.toPlain(call("read", path, null).get("data"));
    }

    @Override
    public void writeBytes(String path, byte[] data) {
        call("write", path, data);
    }

    @Override
    public boolean delete(String path) {
        return call("delete", path, null).path("deleted").asBoolean();
    }

    @Override
    public void clear() {
        call("clear", "", null);
    }

    @Override
    public StorageStatus status() {
        try {
            return Json.MAPPER.treeToValue(call("status", "", null), StorageStatus.class);
        } catch (JsonProcessingException e) {
            throw new JagletException(ErrorType.SERIALIZATION, "unreadable storage status: " + e.getOriginalMessage());
        }
    }
}
