package dev.apikeys.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A key's metadata: a JSON object the owner sets, kept as compact JSON of at most 1 KiB. */
public final class KeyMetadata {

    public static final int MAX_BYTES = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyMetadata() {
    }

    /** The object's compact JSON. */
    public static String compact(JsonNode object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree is always JSON", e);
        }
    }

    public static boolean fits(String compact) {
        return compact.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    /**
     * The metadata once the merge patch (RFC 7396) is applied: a member the patch sets to null
     * goes, an object merges into an object, anything else replaces. Null when nothing is left of it.
     *
     * @param current compact JSON, null when the key has none
     * @param patch compact JSON of an object, or "null"
     */
    public static String merge(String current, String patch) {
        try {
            JsonNode merged = merge(current == null ? JSON.nullNode() : JSON.readTree(current), JSON.readTree(patch));
            return merged.isNull() ? null : compact(merged);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Metadata is kept as JSON", e);
        }
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode merged = target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                merged.remove(member.getKey());
            } else {
                merged.set(member.getKey(), merge(merged.path(member.getKey()), member.getValue()));
            }
        }
        return merged;
    }
}
