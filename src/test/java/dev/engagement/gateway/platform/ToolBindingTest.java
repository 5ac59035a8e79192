package dev.engagement.gateway.platform;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tool maps with constants, variables and nested arguments: what a third-party MCP server such as xmcp needs. */
class ToolBindingTest {

    private static final EngagementRequest REPLY = new EngagementRequest("reply", "twitter", "1500", "Thanks, noted!", List.of(), null, null);

    @Test
    void aDottedNameIsANestedArgument() {
        ToolBinding b = ToolBinding.parse("k", "createPosts(text=content, reply.in_reply_to_tweet_id=target)");
        assertEquals(Map.of("text", "Thanks, noted!", "reply", Map.of("in_reply_to_tweet_id", "1500")), b.argumentsFor(REPLY));
    }

    @Test
    void constantsAndVariablesAreSentAsTheyAre() {
        ToolBinding b = ToolBinding.parse("k", "likePost(id=${X_USER_ID}, tweet_id=target, 'tweet.fields'='text,author_id', n=3, dry=false)",
                name -> name.equals("X_USER_ID") ? Optional.of("2244994945") : Optional.empty());
        assertEquals(Map.of("id", "2244994945", "tweet_id", "1500", "tweet.fields", "text,author_id", "n", 3L, "dry", false),
                b.argumentsFor(REPLY));
    }

    @Test
    void anUnsetVariableOrAnUnknownValueStopsTheStartNamingTheKey() {
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> ToolBinding.parse("engagement.platforms.twitter.actions.like", "likePost(id=${X_USER_ID}, tweet_id=target)"));
        assertTrue(unset.getMessage().contains("engagement.platforms.twitter.actions.like") && unset.getMessage().contains("X_USER_ID"),
                unset.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ToolBinding.parse("engagement.platforms.twitter.actions.like", "likePost(tweet_id=tweet)"));
        assertTrue(unknown.getMessage().contains("'quoted' text"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ToolBinding.parse("k", "likePost(tweet_id='open)"));
    }
}
