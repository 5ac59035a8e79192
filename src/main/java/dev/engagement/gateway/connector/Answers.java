package dev.engagement.gateway.connector;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The shapes the connectors answer in, the same for every platform so the gateway (and an agent) reads them alike. */
public final class Answers {

    private Answers() {
    }

    /** What a reply or comment answers: the new post's id, its text, and what it answers. */
    public static Map<String, Object> posted(String id, String text, String inReplyTo) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("text", text);
        out.put("in_reply_to", inReplyTo);
        return out;
    }

    /**
     * A Graph API object (a Threads post, an Instagram post or comment) as a lookup answers it: id, text (from
     * {@code textField}: Instagram posts call it caption), author (the username), timestamp, and permalink when it has one.
     */
    public static Map<String, Object> graphObject(JsonNode object, String textField) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", object.path("id").asText());
        out.put("text", object.path(textField).asText(""));
        out.put("author", object.path("username").asText(null));
        out.put("timestamp", object.path("timestamp").asText(null));
        if (object.hasNonNull("permalink")) {
            out.put("permalink", object.get("permalink").asText());
        }
        return out;
    }
}
