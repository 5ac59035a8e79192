package dev.engagement.gateway;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SharedGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A queued item shows what it answers: the target's text, author and time, and the account's history with that author. */
class ApprovalContextTest extends SharedGateway {

    @Test
    void aQueuedReplyShowsThePostItAnswersAndTheAccountsHistoryWithItsAuthor() throws Exception {
        Answer like = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_12345\"}");
        assertEquals(200, like.status(), like.raw());
        Answer reply = gateway.submit("{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"tweet_12345\","
                + " \"content\": \"Thanks Ana, CSV export is coming.\", \"confidence\": 0.8}");
        assertEquals(202, reply.status(), reply.raw());
        String replyId = reply.text("/engagement_id");
        Answer follow = gateway.submit("{\"action\": \"follow\", \"platform\": \"twitter\", \"target\": \"user_customer_ana\"}");
        assertEquals(202, follow.status(), follow.raw());

        Answer page = gateway.get("/approvals?platform=twitter", RunningGateway.REVIEWER);
        assertEquals(200, page.status(), page.raw());
        JsonNode context = ApprovalFlowTest.find(page.body(), replyId).path("context");
        assertEquals("user_customer_ana", context.at("/target/author").asText(), context.toString());
        assertTrue(context.at("/target/text").asText().contains("export to CSV"), context.toString());
        assertEquals("2026-11-30T09:15:00Z", context.at("/target/created_at").asText(), context.toString());
        assertEquals(List.of("follow:pending", "like:success"), history(context),
                "the account liked that author's post and waits to follow them; the reply itself is not its own history");

        JsonNode followContext = ApprovalFlowTest.find(page.body(), follow.text("/engagement_id")).path("context");
        assertEquals("user_customer_ana", followContext.path("author").asText(), followContext.toString());
        assertTrue(followContext.path("target").isMissingNode(), "a follow looks nothing up: " + followContext);
        assertEquals(List.of("reply:pending", "like:success"), history(followContext), "newest first");
    }

    @Test
    void anItemWithNothingLookedUpHasNoTarget() throws Exception {
        Answer follow = gateway.submit("{\"action\": \"follow\", \"platform\": \"threads\", \"target\": \"user_nobody_known\"}");
        assertEquals(202, follow.status(), follow.raw());
        JsonNode context = ApprovalFlowTest.find(gateway.get("/approvals?platform=threads", RunningGateway.REVIEWER).body(),
                follow.text("/engagement_id")).path("context");
        assertFalse(context.has("target"), context.toString());
        assertEquals(0, context.path("recent").size(), context.toString());
    }

    private static List<String> history(JsonNode context) {
        List<String> out = new ArrayList<>();
        context.path("recent").forEach(r -> out.add(r.path("action").asText() + ":" + r.path("status").asText()));
        return out;
    }
}
