package dev.engagement.gateway;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SharedGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reviewer's queue filtered by why items wait and how old they are, and sorted by age or confidence. */
class ApprovalQueueFiltersTest extends SharedGateway {

    /** A follow whose agent says how sure it is: its confidence is min(that, the follow's base 0.75). */
    private static String queueFollow(String platform, String user, double agentConfidence) throws Exception {
        Answer a = gateway.submit("{\"action\": \"follow\", \"platform\": \"" + platform + "\", \"target\": \"" + user
                + "\", \"confidence\": " + agentConfidence + "}");
        assertEquals(202, a.status(), a.raw());
        return a.text("/engagement_id");
    }

    /** Every page of a query about one platform, its items' ids in order. */
    private static List<String> ids(String platform, String query) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Answer page = gateway.get("/approvals?platform=" + platform + "&" + query + (cursor == null ? "" : "&cursor=" + cursor),
                    RunningGateway.REVIEWER);
            assertEquals(200, page.status(), page.raw());
            page.body().path("items").forEach(i -> ids.add(i.path("engagement_id").asText()));
            JsonNode next = page.body().path("next_cursor");
            cursor = next.isTextual() ? next.asText() : null;
        } while (cursor != null);
        return ids;
    }

    @Test
    void theQueueSortsByAgeOrConfidenceAPageAtATime() throws Exception {
        String sure = queueFollow("tiktok", "user_sort_sure", 0.75);
        String unsure = queueFollow("tiktok", "user_sort_unsure", 0.71);
        String between = queueFollow("tiktok", "user_sort_between", 0.73);

        assertEquals(List.of(between, unsure, sure), ids("tiktok", "limit=1"), "newest first by default");
        assertEquals(List.of(sure, unsure, between), ids("tiktok", "sort=oldest&limit=1"));
        assertEquals(List.of(sure, between, unsure), ids("tiktok", "sort=confidence&limit=1"), "the most confident first");
        assertEquals(List.of(sure, between, unsure), ids("tiktok", "sort=confidence&limit=2"));
    }

    @Test
    void theQueueFiltersByReasonAndAge() throws Exception {
        String doubted = queueFollow("instagram", "user_filter_doubted", 0.72);
        String plain = queueFollow("instagram", "user_filter_plain", 0.9);

        List<String> byAgentDoubt = ids("instagram", "reason=agent_confidence");
        assertTrue(byAgentDoubt.contains(doubted) && !byAgentDoubt.contains(plain), byAgentDoubt.toString());
        List<String> byPrefix = ids("instagram", "reason=base");
        assertTrue(byPrefix.contains(doubted) && byPrefix.contains(plain), "a rule's start finds base.follow: " + byPrefix);
        assertEquals(List.of(), ids("instagram", "reason=sensitive"));

        assertEquals(List.of(), ids("instagram", "older_than=PT1H"), "nothing here is an hour old");
        assertTrue(ids("instagram", "newer_than=PT1H").containsAll(List.of(doubted, plain)));
        assertTrue(ids("instagram", "older_than=PT0S").containsAll(List.of(doubted, plain)));

        for (String bad : List.of("reason=" + "%25", "older_than=an-hour", "newer_than=-PT1H", "sort=loudest")) {
            Answer refused = gateway.get("/approvals?" + bad, RunningGateway.REVIEWER).assertContract();
            assertEquals(400, refused.status(), bad + " -> " + refused.raw());
            assertEquals("VALIDATION_FAILED", refused.text("/error/code"));
        }
        String newestCursor = gateway.get("/approvals?platform=instagram&limit=1", RunningGateway.REVIEWER).text("/next_cursor");
        Answer mixed = gateway.get("/approvals?sort=confidence&cursor=" + newestCursor, RunningGateway.REVIEWER).assertContract();
        assertEquals(400, mixed.status(), "a cursor of another sort: " + mixed.raw());
        String confidenceCursor = gateway.get("/approvals?platform=instagram&sort=confidence&limit=1", RunningGateway.REVIEWER)
                .text("/next_cursor");
        Answer back = gateway.get("/approvals?sort=oldest&cursor=" + confidenceCursor, RunningGateway.REVIEWER).assertContract();
        assertEquals(400, back.status(), "and the other way round: " + back.raw());
    }
}
