package dev.dojo.worker;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.HashMap;
import java.util.Map;

/**
 * The worker protocol: one JSON object per line, {"id": N, "type": "Name", "body": {...}}, where N
 * is the request the message belongs to and Name the simple name of a {@link Request} or
 * {@link Event} record. The CLI writes requests to the worker's standard input; the worker writes
 * events to its standard output, each line starting with {@link #MARK}, so that anything else on
 * that stream (a native library's print, the JVM's own last words) is told apart and never read
 * as an event.
 */
final class Protocol {
    /** What starts every event line on the worker's standard output. */
    static final String MARK = "\u001edojo ";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Map<String, Class<?>> TYPES = new HashMap<>();

    static {
        for (Class<?> type : Request.class.getPermittedSubclasses()) {
            TYPES.put(type.getSimpleName(), type);
        }
        for (Class<?> type : Event.class.getPermittedSubclasses()) {
            TYPES.put(type.getSimpleName(), type);
        }
    }

    /** A message of request {@code id}: a {@link Request} or an {@link Event}. */
    record Message(long id, Object body) {}

    private Protocol() {}

    /** One line (without its newline) that carries {@code body} for request {@code id}. */
    static String encode(long id, Object body) {
        if (!TYPES.containsKey(body.getClass().getSimpleName())) {
            throw new IllegalArgumentException(body.getClass() + " is not a message of the worker protocol");
        }
        JsonObject message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("type", body.getClass().getSimpleName());
        message.add("body", GSON.toJsonTree(body));
        return GSON.toJson(message);
    }

    /** The message in {@code line}; null when the line is not one (a stray line, or a cut one). */
    static Message decode(String line) {
        try {
            JsonElement parsed = JsonParser.parseString(line);
            if (!parsed.isJsonObject()) {
                return null;
            }
            JsonObject message = parsed.getAsJsonObject();
            Class<?> type = message.has("type") ? TYPES.get(message.get("type").getAsString()) : null;
            if (type == null || !message.has("id") || !message.has("body")) {
                return null;
            }
            return new Message(message.get("id").getAsLong(), GSON.fromJson(message.get("body"), type));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            return null;
        }
    }
}
