package dev.engagement.gateway;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SharedGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reviewer fixes the agent's text and posts it: checked and scored again, the edit kept in the audit log. */
class EditAndApproveTest extends SharedGateway {

    private static final String AGENT_TEXT = "Thanks for asking! CSV export is on our list.";

    /** A reply the agent is not sure of (its own confidence 0.8) waits for a reviewer. */
    private static String queueReply(String target, String text) throws Exception {
        Answer a = gateway.submit("{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"" + target
                + "\", \"content\": \"" + text + "\", \"confidence\": 0.8}").assertContract();
        assertEquals(202, a.status(), a.raw());
        return a.text("/engagement_id");
    }

    @Test
    void anEditedReplyIsScoredAgainAndItsEditedTextIsWhatThePlatformGets() throws Exception {
        String id = queueReply("tweet_12345", AGENT_TEXT);
        String edited = "Thanks for asking, Ana! CSV export ships next month.";

        Answer approved = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER,
                "{\"reviewer\": \"maria\", \"content\": \"" + edited + "\"}").assertContract();
        assertEquals(200, approved.status(), approved.raw());
        assertEquals("success", approved.text("/status"));

        JsonNode ledger = gateway.ledger("twitter");
        assertTrue(ledger.toString().contains(edited), "the platform got the edited text: " + ledger);
        assertFalse(ledger.toString().contains(AGENT_TEXT), "and never the agent's: " + ledger);

        List<String> events = gateway.eventNames(id);
        assertEquals(List.of("received", "queued_for_review", "edited", "approved"), events.subList(0, 4), events.toString());
        JsonNode log = gateway.get("/engagements/" + id + "/events", RunningGateway.REVIEWER).body();
        assertEquals(AGENT_TEXT, log.get(1).path("content").asText(), "the agent's version stays in the log");
        assertEquals(edited, log.get(2).path("content").asText(), "the reviewer's version is logged");
        assertTrue(log.get(2).path("actor").asText().startsWith("maria"), "who edited: " + log.get(2));
        assertTrue(log.get(2).path("confidence").isNumber(), "the edit was scored: " + log.get(2));
        assertEquals(edited, log.get(3).path("content").asText(), "the approval is of the edited text");
    }

    @Test
    void anEditThePolicyWouldRefuseNeedsAnOverrideWhichIsRecorded() throws Exception {
        String id = queueReply("tweet_98765", "Love this thread, thank you!");
        String risky = "We will sue over this data breach, our lawyer is furious and this is a terrible crisis.";

        Answer refused = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER,
                "{\"reviewer\": \"li\", \"content\": \"" + risky + "\"}").assertContract();
        assertEquals(422, refused.status(), refused.raw());
        assertEquals("REJECTED_BY_POLICY", refused.text("/error/code"));
        assertTrue(refused.text("/error/message").contains("override"), refused.raw());
        assertEquals("pending", gateway.get("/engagements/" + id, RunningGateway.REVIEWER).text("/status"),
                "a refused edit decides nothing");
        assertEquals(0, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_98765"));

        Answer overridden = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER,
                "{\"reviewer\": \"li\", \"content\": \"" + risky + "\", \"override\": true}").assertContract();
        assertEquals(200, overridden.status(), overridden.raw());
        assertTrue(gateway.ledger("twitter").toString().contains(risky));
        JsonNode edit = null;
        for (JsonNode e : gateway.get("/engagements/" + id + "/events", RunningGateway.REVIEWER).body()) {
            if (e.path("event").asText().equals("edit_overridden")) {
                edit = e;
            }
        }
        assertTrue(edit != null, "the override is an event of its own");
        assertTrue(edit.path("confidence").asDouble() < 0.70, edit.toString());
        assertTrue(edit.path("reasons").toString().contains("reviewer_override"), edit.toString());
        JsonNode last = gateway.get("/engagements/" + id + "/events", RunningGateway.REVIEWER).body();
        assertTrue(last.get(last.size() - 1).path("reasons").toString().contains("reviewer_override"), "kept to the end: " + last);
    }

    @Test
    void anEditIsCheckedLikeTheAgentsText() throws Exception {
        String id = queueReply("tweet_12345", "Thanks, we hear you.");
        Answer tooLong = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER,
                "{\"content\": \"" + "word ".repeat(60) + "\"}").assertContract();
        assertEquals(422, tooLong.status(), tooLong.raw());
        assertEquals("CONTENT_TOO_LONG", tooLong.text("/error/code"));

        Answer blank = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER, "{\"content\": \"   \"}").assertContract();
        assertEquals(400, blank.status(), blank.raw());
        assertEquals("/content", blank.text("/error/violations/0/pointer"));

        Answer notText = gateway.post("/approvals/" + id + "/approve", RunningGateway.REVIEWER,
                "{\"content\": 42, \"override\": \"yes\"}").assertContract();
        assertEquals(400, notText.status(), notText.raw());
        assertEquals(2, notText.body().at("/error/violations").size(), notText.raw());

        Answer rejectWithText = gateway.post("/approvals/" + id + "/reject", RunningGateway.REVIEWER,
                "{\"content\": \"other\"}").assertContract();
        assertEquals(400, rejectWithText.status(), rejectWithText.raw());

        assertEquals("pending", gateway.get("/engagements/" + id, RunningGateway.REVIEWER).text("/status"),
                "none of these decided anything");
        assertEquals(List.of("received", "queued_for_review"), gateway.eventNames(id));
    }
}
