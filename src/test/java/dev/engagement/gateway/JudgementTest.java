package dev.engagement.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;
import dev.engagement.gateway.support.SharedGateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The judgement end to end: targets looked up through the platform's MCP lookup tool (cached),
 * sentiment of the target and the content, persona rules, and the reasons reviewers see.
 */
class JudgementTest extends SharedGateway {

    private static String rules(JsonNode reasons) {
        return reasons.findValuesAsText("rule").toString();
    }

    @Test
    void replyingToAHostileTweetWaitsForAHumanEvenWhenTheAgentIsSure() throws Exception {
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_66666", "confidence": 1.0,
                 "content": "Thanks for letting us know. We'd like to help: what went wrong?"}""").assertContract();
        assertEquals(202, a.status(), a.raw());
        // VADER reads the insults only at -0.31, short of a negative post (-0.50): the lexicon finds them in the tweet
        String rules = rules(a.body().at("/platform_response/reasons"));
        assertTrue(rules.contains("sensitive_target.abuse"), rules);
        assertFalse(SeedExamplesTest.containsCall(gateway.ledger("twitter"), "reply_to_tweet", "tweet_66666"));

        // the reviewer sees the same confidence and reasons, with their evidence
        JsonNode item = approval(a.text("/engagement_id"));
        assertEquals(a.body().at("/platform_response/confidence").asDouble(), item.path("confidence").asDouble(), 0.0001);
        assertTrue(item.path("reasons").toString().contains("the lexicon matched 'idiot'"), item.toString());
    }

    @Test
    void replyingToANegativeCommentOnEachPlatformIsCrisisHandling() throws Exception {
        for (String[] p : new String[][] {{"instagram", "comment_54321"}, {"threads", "thread_24680"}, {"tiktok", "video_13579"}}) {
            String action = p[0].equals("tiktok") ? "comment" : "reply";
            Answer a = gateway.submit("""
                    {"action": "%s", "platform": "%s", "target": "%s", "content": "Thanks for telling us, we're on it."}"""
                    .formatted(action, p[0], p[1])).assertContract();
            assertEquals(202, a.status(), p[0] + ": " + a.raw());
            // crisis handling: VADER reads the post as negative, or the model reads the reply given the post as
            // harmful ("This trend is awful and honestly kind of depressing." is -0.38 to VADER, short of -0.50)
            String rules = rules(a.body().at("/platform_response/reasons"));
            assertTrue(rules.contains("sentiment.target") || rules.contains("sensitive.harmful_context"), a.raw());
        }
    }

    @Test
    void aNegativeReplyToAFriendlyTweetAlsoWaits() throws Exception {
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_24680",
                 "content": "Honestly this release was a disappointing mess and we regret it."}""").assertContract();
        assertEquals(202, a.status(), a.raw());
        assertTrue(rules(a.body().at("/platform_response/reasons")).contains("sentiment.content"), a.raw());
    }

    @Test
    void aFriendlyReplyToAFriendlyTweetIsPostedAtOnce() throws Exception {
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_24680",
                 "content": "So glad you like it! Thanks for the kind words.", "persona_constraints": ["casual", "concise"]}""")
                .assertContract();
        assertEquals(200, a.status(), a.raw());
    }

    @Test
    void sensitiveWordsInTheCommentBeingAnsweredWaitForAHuman() throws Exception {
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_77777", "content": "Thanks, we will reach out by DM."}""")
                .assertContract();
        assertEquals(202, a.status(), a.raw());
        String rules = rules(a.body().at("/platform_response/reasons"));
        assertTrue(rules.contains("sensitive_target.legal") && rules.contains("sensitive_target.crisis"), rules);
    }

    @Test
    void theRepliesIssue16FoundAutoPostedNowWaitOrAreRefusedAndSayWhichDetectorFired() throws Exception {
        String[][] cases = {
                {"Our lawyers will file law\u200bsuits against you", "sensitive.legal", "sensitive.evasion"},
                {"Click here to verify your account: bit.ly/x", "sensitive.phishing"},
                {"DM me your credit card number for a refund", "sensitive.credentials"},
                {"Guaranteed 10x profit, invest now", "sensitive.financial"},
                {"k1ll yourself", "sensitive.self_harm"}};
        for (String[] c : cases) {
            Answer a = gateway.submit("""
                    {"action": "reply", "platform": "threads", "target": "thread_13579", "confidence": 0.99, "content": "%s"}"""
                    .formatted(c[0])).assertContract();
            assertTrue(a.status() == 202 || a.status() == 422, c[0] + " must not be posted: " + a.raw());
            String reasons = a.raw();
            for (int i = 1; i < c.length; i++) {
                assertTrue(reasons.contains(c[i]), c[0] + " -> " + reasons);
            }
            assertTrue(reasons.contains("the pattern matched") || reasons.contains("the lexicon matched")
                    || reasons.contains("the paraphrase model"), reasons);
        }
    }

    @Test
    void praiseThatSoundsViolentOrCriminalIsPostedAtOnce() throws Exception {
        for (String praise : new String[] {"You're killing it, congrats on the launch!", "This deal is a steal, enjoy!",
                "Our legal team is hiring, come say hi."}) {
            Answer a = gateway.submit("""
                    {"action": "reply", "platform": "threads", "target": "thread_13579", "content": "%s"}""".formatted(praise))
                    .assertContract();
            assertEquals(200, a.status(), praise + ": " + a.raw());
        }
    }

    @Test
    void aPersonaViolationLowersConfidenceAndSaysWhy() throws Exception {
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_24680",
                 "content": "lol thx, glad u like it", "persona_constraints": ["professional", "sarcastic"]}""").assertContract();
        assertEquals(202, a.status(), a.raw());
        JsonNode reasons = a.body().at("/platform_response/reasons");
        assertTrue(rules(reasons).contains("persona.professional.no-words"), reasons.toString());
        assertTrue(reasons.toString().contains("constraint 'sarcastic' is not known and was ignored"), reasons.toString());
    }

    @Test
    void anUnknownTargetFailsInvalidTargetWithoutCallingTheActionTool() throws Exception {
        String[][] cases = {
                {"twitter", "like", "tweet_deleted_1", "like_tweet"},
                {"instagram", "comment", "post_missing_2", "comment_on_post"},
                {"instagram", "reply", "comment_unknown_3", "reply_to_comment"},
                {"tiktok", "share", "video_404", "share_video"},
                {"threads", "reply", "thread_nonexistent", "reply_to_thread"}};
        for (String[] c : cases) {
            String content = c[1].equals("reply") || c[1].equals("comment") ? ", \"content\": \"Nice!\"" : "";
            Answer a = gateway.submit("""
                    {"action": "%s", "platform": "%s", "target": "%s"%s}""".formatted(c[1], c[0], c[2], content)).assertContract();
            assertEquals(422, a.status(), a.raw());
            assertEquals("INVALID_TARGET", a.text("/error/code"));
            assertEquals(c[2], a.text("/error/target"));
            assertFalse(SeedExamplesTest.containsCall(gateway.ledger(c[0]), c[3], c[2]), c[3] + " must not be called");
        }
    }

    @Test
    void targetLookupsAreCachedAndTheHitRateIsAMetric() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, gateway.submit("{\"action\": \"like\", \"platform\": \"tiktok\", \"target\": \"video_24680\"}").status());
        }
        String metrics = gateway.metrics();
        assertTrue(metric(metrics, "engagement_target_cache_hits_total") >= 2, metrics);
        assertTrue(metric(metrics, "engagement_target_cache_misses_total") >= 1, metrics);
        double ratio = metric(metrics, "engagement_target_cache_hit_ratio");
        assertTrue(ratio > 0 && ratio <= 1, "hit ratio " + ratio);
        assertTrue(metrics.contains("camel_"), "Camel's own meters share the scrape");
    }

    @Test
    void theEventLogKeepsTheConfidenceAndTheReasons() throws Exception {
        Path data = Files.createTempDirectory("judgement-audit");
        String id;
        try (RunningGateway own = RunningGateway.start(data, Map.of())) {
            id = own.submit("""
                    {"action": "reply", "platform": "twitter", "target": "tweet_55555",
                     "content": "We hear you and we are sorry. Our team will DM you today."}""").assertContract().text("/engagement_id");
        }
        try (Connection c = dev.engagement.gateway.support.TestDatabase.connect(data);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT confidence, reasons_json FROM engagement_events WHERE engagement_id = ? AND decision = 'review'")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a review decision is logged");
                assertTrue(rs.getDouble(1) <= 0.90);
                String reasons = rs.getString(2);
                assertTrue(reasons.contains("sentiment.target") && reasons.contains("penalty") && reasons.contains("evidence"), reasons);
            }
        }
    }

    private static JsonNode approval(String id) throws Exception {
        for (JsonNode item : gateway.get("/approvals?status=pending", RunningGateway.REVIEWER).body().path("items")) {
            if (item.path("engagement_id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " is not in the approval list");
    }

    private static double metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+\\-]+)$").matcher(scrape);
        assertTrue(m.find(), name + " not in the scrape");
        return Double.parseDouble(m.group(1));
    }
}
