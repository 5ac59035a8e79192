package dev.engagement.gateway.platform;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PlatformRulesTest {

    @Test
    void twitterCountsUrlsAsTwentyThreeAndEmojiAndCjkAsTwo() {
        assertEquals(23, ContentLength.TWITTER_WEIGHTED.count("https://example.com/a/very/long/path/that/goes/on"));
        assertEquals(2, ContentLength.TWITTER_WEIGHTED.count("🚀"));
        assertEquals(4, ContentLength.TWITTER_WEIGHTED.count("日本"));
        assertEquals(5, ContentLength.TWITTER_WEIGHTED.count("hello"));
        assertEquals(1, ContentLength.CODE_POINTS.count("🚀"));
        // Threads: an emoji counts its UTF-8 bytes, everything else one per code point
        assertEquals(4, ContentLength.EMOJI_UTF8_BYTES.count("🚀"));
        assertEquals(9, ContentLength.EMOJI_UTF8_BYTES.count("café 🚀"));
        assertEquals(8, ContentLength.EMOJI_UTF8_BYTES.count("👍🏽"));
        assertEquals(5, ContentLength.EMOJI_UTF8_BYTES.count("héllo"));
    }

    @Test
    void aToolBindingMapsRequestFieldsOntoToolArguments() {
        ToolBinding b = ToolBinding.parse("k", "reply_to_tweet(tweet_id=target, text=content)");
        assertEquals("reply_to_tweet", b.tool());
        EngagementRequest r = new EngagementRequest("reply", "twitter", "tweet_1", "hi", List.of(), null, null);
        assertEquals(Map.of("tweet_id", "tweet_1", "text", "hi"), b.argumentsFor(r));
        assertEquals("like_tweet", ToolBinding.parse("k", "like_tweet").tool());
    }

    @Test
    void aMalformedBindingIsRefusedAtStartWithTheKeyNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ToolBinding.parse("engagement.platforms.x.actions.like", "like(tweet_id=nope)"));
        assertEquals(true, e.getMessage().contains("engagement.platforms.x.actions.like"));
    }
}
