package dev.engagement.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.SharedGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example of the skill, through real HTTP and real MCP, comes out as the skill shows it. */
class SeedExamplesTest extends SharedGateway {


    @Test
    void replyToATweetIsPostedAtOnce() throws Exception {
        String content = "Thanks for the feedback! We're always working to improve. What specific feature would you like to see?";
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_12345",
                 "content": "%s", "persona_constraints": ["professional", "helpful", "concise"]}""".formatted(content))
                .assertContract();
        assertEquals(200, a.status(), a.raw());
        assertEquals("success", a.text("/status"));
        assertTrue(a.text("/engagement_id").startsWith("eng_"));
        assertEquals(content, a.text("/platform_response/text"));
        assertTrue(a.body().at("/platform_response/id").isTextual());
        assertTrue(a.body().at("/platform_response/created_at").isTextual());

        JsonNode ledger = gateway.ledger("twitter");
        assertTrue(containsCall(ledger, "reply_to_tweet", "tweet_12345"), ledger.toString());
    }

    @Test
    void likeOnInstagramSucceeds() throws Exception {
        Answer a = gateway.submit("""
                {"action": "like", "platform": "instagram", "target": "post_67890", "persona_constraints": ["authentic"]}""")
                .assertContract();
        assertEquals(200, a.status(), a.raw());
        assertEquals("success", a.text("/status"));
        assertTrue(containsCall(gateway.ledger("instagram"), "like_post", "post_67890"));
    }

    @Test
    void strategicFollowOnTwitterWaitsForAReviewer() throws Exception {
        Answer a = gateway.submit("""
                {"action": "follow", "platform": "twitter", "target": "user_fashion_influencer",
                 "persona_constraints": ["relevant", "strategic"]}""").assertContract();
        assertEquals(202, a.status(), a.raw());
        assertEquals("pending", a.text("/status"));
        assertEquals(true, a.body().at("/platform_response/approval_required").asBoolean());
        assertEquals(false, containsCall(gateway.ledger("twitter"), "follow_user", "user_fashion_influencer"),
                "a pending follow must not reach the platform");
    }

    @Test
    void example1ReplyToAnInstagramCommentWithEmojiSucceeds() throws Exception {
        String content = "Great question! We're planning to release that feature next month. Stay tuned! 🚀";
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "instagram", "target": "comment_12345",
                 "content": "%s", "persona_constraints": ["helpful", "enthusiastic", "concise"]}""".formatted(content))
                .assertContract();
        assertEquals(200, a.status(), a.raw());
        assertEquals("success", a.text("/status"));
        assertEquals(content, a.text("/platform_response/text"));
        assertTrue(containsCall(gateway.ledger("instagram"), "reply_to_comment", "comment_12345"));
    }

    @Test
    void example2LikeATweetAnswersLikedWithATimestamp() throws Exception {
        Answer a = gateway.submit("""
                {"action": "like", "platform": "twitter", "target": "tweet_98765", "persona_constraints": ["authentic", "relevant"]}""")
                .assertContract();
        assertEquals(200, a.status(), a.raw());
        assertEquals("success", a.text("/status"));
        assertEquals(true, a.body().at("/platform_response/liked").asBoolean());
        assertTrue(a.body().at("/platform_response/timestamp").isTextual());
    }

    @Test
    void example3StrategicFollowIsQueuedWithConfidenceAboutThreeQuarters() throws Exception {
        Answer a = gateway.submit("""
                {"action": "follow", "platform": "instagram", "target": "user_collaborator", "persona_constraints": ["strategic"]}""")
                .assertContract();
        assertEquals(202, a.status(), a.raw());
        assertEquals("pending", a.text("/status"));
        assertEquals("Follow request queued for approval", a.text("/platform_response/message"));
        assertEquals(true, a.body().at("/platform_response/approval_required").asBoolean());
        assertEquals(0.75, a.body().at("/platform_response/confidence").asDouble(), 0.001);
        assertTrue(a.body().at("/platform_response/reasons").size() > 0, "a pending result says why it waits");

        Answer state = gateway.get("/engagements/" + a.text("/engagement_id"), RunningGateway.AGENT).assertContract();
        assertEquals(200, state.status());
        assertEquals("pending", state.text("/status"));
    }

    static boolean containsCall(JsonNode ledger, String tool, String target) {
        for (JsonNode entry : ledger) {
            if (entry.path("tool").asText().equals(tool) && entry.path("arguments").toString().contains("\"" + target + "\"")) {
                return true;
            }
        }
        return false;
    }
}
