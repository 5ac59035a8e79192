package dev.engagement.gateway.engagement;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real platform's lookup answers with JSON nulls (a deleted author, a post without text, no geo). */
class TargetInfoTest {

    @Test
    void aLookupAnswerWithNullsIsKeptAsItCame() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", "tweet_1");
        answer.put("author", null);
        answer.put("text", "Love it");
        answer.put("geo", null);
        TargetInfo info = TargetInfo.from("twitter", "tweet_1", "get_tweet", answer);
        assertNull(info.author());
        assertEquals("Love it", info.text());
        assertTrue(info.metadata().containsKey("geo"));
        assertNull(info.metadata().get("geo"));
    }
}
