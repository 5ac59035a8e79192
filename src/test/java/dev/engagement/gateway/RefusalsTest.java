package dev.engagement.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.SharedGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Everything the gateway refuses, and how: each answer is contract-shaped with a stable code. */
class RefusalsTest extends SharedGateway {


    private static void assertFailed(Answer a, int status, String code) {
        a.assertContract();
        assertEquals(status, a.status(), a.raw());
        assertEquals("failed", a.text("/status"), a.raw());
        assertEquals(code, a.text("/error/code"), a.raw());
        assertNotNull(a.text("/error/message"));
    }

    @Test
    void malformedJsonIsAValidationFailure() throws Exception {
        Answer a = gateway.submit("{\"action\": \"like\", ");
        assertFailed(a, 400, "VALIDATION_FAILED");
        assertEquals("", a.text("/error/violations/0/pointer"));
    }

    @Test
    void everyViolationIsListedWithItsJsonPointer() throws Exception {
        Answer a = gateway.submit("""
                {"action": "dance", "platform": "myspace", "confidence": 1.5, "surprise": true}""");
        assertFailed(a, 400, "VALIDATION_FAILED");
        String pointers = a.body().at("/error/violations").findValuesAsText("pointer").toString();
        for (String p : new String[] {"/action", "/platform", "/target", "/confidence", "/surprise"}) {
            assertTrue(pointers.contains(p), p + " missing from " + a.raw());
        }
    }

    @Test
    void aReplyWithoutContentIsInvalid() throws Exception {
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_12345"}""");
        assertFailed(a, 400, "VALIDATION_FAILED");
        assertEquals("/content", a.text("/error/violations/0/pointer"));
    }

    @Test
    void anEmptyBodyOrAnArrayIsInvalid() throws Exception {
        assertFailed(gateway.submit(""), 400, "VALIDATION_FAILED");
        assertFailed(gateway.submit("[]"), 400, "VALIDATION_FAILED");
        assertFailed(gateway.submit("{\"action\":\"like\",\"action\":\"follow\",\"platform\":\"twitter\",\"target\":\"t\"}"),
                400, "VALIDATION_FAILED");
    }

    @Test
    void noTokenOrAWrongTokenIsUnauthorized() throws Exception {
        String like = "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_1\"}";
        assertFailed(gateway.post("/engagements", null, like), 401, "UNAUTHORIZED");
        assertFailed(gateway.post("/engagements", "not-a-token", like), 401, "UNAUTHORIZED");
        assertFailed(gateway.get("/approvals", null), 401, "UNAUTHORIZED");
    }

    @Test
    void aReviewerCannotSubmitAndAnAgentCannotApprove() throws Exception {
        String like = "{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_1\"}";
        assertFailed(gateway.post("/engagements", RunningGateway.REVIEWER, like), 403, "FORBIDDEN");
        assertFailed(gateway.get("/approvals?status=pending", RunningGateway.AGENT), 403, "FORBIDDEN");
        assertFailed(gateway.post("/approvals/eng_whatever/approve", RunningGateway.AGENT, "{}"), 403, "FORBIDDEN");
    }

    @Test
    void actionsAPlatformDoesNotHaveAreUnsupported() throws Exception {
        assertFailed(gateway.submit("{\"action\": \"share\", \"platform\": \"instagram\", \"target\": \"post_67890\"}"),
                422, "UNSUPPORTED_ACTION");
        assertFailed(gateway.submit("{\"action\": \"share\", \"platform\": \"threads\", \"target\": \"thread_13579\"}"),
                422, "UNSUPPORTED_ACTION");
        assertFailed(gateway.submit("{\"action\": \"reply\", \"platform\": \"tiktok\", \"target\": \"video_24680\", \"content\": \"hi\"}"),
                422, "UNSUPPORTED_ACTION");
    }

    @Test
    void twitterLengthIsWeightedEmojiCountTwo() throws Exception {
        // 141 emoji are 141 characters but 282 by X's weighted count
        String emoji = "😀".repeat(141);
        assertFailed(gateway.submit(reply("twitter", "tweet_12345", emoji)), 422, "CONTENT_TOO_LONG");
        Answer ok = gateway.submit(reply("twitter", "tweet_12345", "😀".repeat(140))).assertContract();
        assertEquals(200, ok.status(), ok.raw());
    }

    @Test
    void twitterLengthCountsAnyUrlAsTwentyThree() throws Exception {
        // 351 characters, but 250 + 1 + 23 = 274 weighted: fits (an ordinary reply: 250 letters and a link alone read
        // as spam to the paraphrase model, fairly)
        String sentence = "Thanks for the kind words about the update, we are glad the new editor works well for you. ";
        String words = sentence + sentence + "Tell us what you think of the new layout too, we read every reply :)";
        assertEquals(250, words.length());
        String text = words + " https://example.com/" + "x".repeat(80);
        Answer a = gateway.submit(reply("twitter", "tweet_12345", text)).assertContract();
        assertEquals(200, a.status(), a.raw());
    }

    @Test
    void otherPlatformsCountCharacters() throws Exception {
        assertFailed(gateway.submit(reply("threads", "thread_13579", "b".repeat(501))), 422, "CONTENT_TOO_LONG");
        assertFailed(gateway.submit(comment("tiktok", "video_24680", "c".repeat(151))), 422, "CONTENT_TOO_LONG");
        assertFailed(gateway.submit(comment("instagram", "post_67890", "d".repeat(2201))), 422, "CONTENT_TOO_LONG");
        assertEquals(200, gateway.submit(comment("tiktok", "video_24680", "Love it " + "!".repeat(142))).status());
    }

    @Test
    void aShareOrLikeTextIsBoundedByThePlatformToo() throws Exception {
        // the contract's 10,000 characters are not the platform's: its commentary is scored and stored
        assertFailed(gateway.submit("""
                {"action": "share", "platform": "twitter", "target": "tweet_12345", "content": "%s"}""".formatted("{".repeat(5_000))),
                422, "CONTENT_TOO_LONG");
        assertFailed(gateway.submit("""
                {"action": "like", "platform": "instagram", "target": "post_67890", "content": "%s"}""".formatted("e".repeat(2_201))),
                422, "CONTENT_TOO_LONG");
    }

    @Test
    void abusiveContentIsRefusedByPolicyAndRecorded() throws Exception {
        Answer a = gateway.submit(reply("twitter", "tweet_55555", "You are an idiot and this is a scam"));
        assertFailed(a, 422, "REJECTED_BY_POLICY");
        String id = a.text("/engagement_id");
        assertNotNull(id, "a refusal is recorded as an engagement");
        Answer state = gateway.get("/engagements/" + id, RunningGateway.REVIEWER).assertContract();
        assertEquals("REJECTED_BY_POLICY", state.text("/error/code"));
        assertFalse(gateway.ledger("twitter").toString().contains("tweet_55555"));
    }

    @Test
    void lowAgentConfidenceIsRefusedAndMiddlingConfidenceWaits() throws Exception {
        assertFailed(gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_7001\", \"confidence\": 0.5}"),
                422, "REJECTED_BY_POLICY");
        Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_7002\", \"confidence\": 0.8}")
                .assertContract();
        assertEquals(202, a.status(), a.raw());
        assertEquals(0.8, a.body().at("/platform_response/confidence").asDouble(), 0.001);
    }

    @Test
    void sensitiveContentIsNeverAutoExecutedWhateverTheAgentSays() throws Exception {
        Answer a = gateway.submit("""
                {"action": "reply", "platform": "twitter", "target": "tweet_55555", "confidence": 1.0,
                 "content": "Please contact our lawyer about the refund."}""").assertContract();
        assertEquals(202, a.status(), a.raw());
        assertTrue(a.body().at("/platform_response/reasons").toString().contains("sensitive.legal"), a.raw());
    }

    @Test
    void unknownTargetsAreInvalid() throws Exception {
        Answer a = gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_deleted_42\"}");
        assertFailed(a, 422, "INVALID_TARGET");
        assertEquals("twitter", a.text("/error/platform"));
        assertEquals("tweet_deleted_42", a.text("/error/target"));
        assertEquals(false, a.body().at("/error/retryable").asBoolean());
    }

    @Test
    void unknownEngagementsAndHostileIdsAreNotFound() throws Exception {
        assertFailed(gateway.get("/engagements/eng_doesnotexist", RunningGateway.AGENT), 404, "NOT_FOUND");
        assertFailed(gateway.get("/engagements/'%20OR%201=1%20--", RunningGateway.AGENT), 404, "NOT_FOUND");
        assertFailed(gateway.post("/approvals/'%20OR%201=1%20--/approve", RunningGateway.REVIEWER, "{}"), 404, "NOT_FOUND");
    }

    @Test
    void unknownPathsAndMethodsAreContractShaped() throws Exception {
        assertFailed(gateway.get("/no/such/thing", RunningGateway.AGENT), 404, "NOT_FOUND");
        Answer delete = gateway.send("DELETE", "/engagements", RunningGateway.AGENT, null);
        assertFailed(delete, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GET, POST", delete.header("Allow"), "a 405 says which methods are (RFC 9110)");
        // the known paths are the routes' own (HttpFallback): templates included, one segment per {id}
        assertFailed(gateway.send("PUT", "/approvals/x/approve", RunningGateway.REVIEWER, null), 405, "METHOD_NOT_ALLOWED");
        Answer stats = gateway.send("POST", "/engagements/stats", RunningGateway.REVIEWER, "{}");
        assertFailed(stats, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GET", stats.header("Allow"), stats.raw());
        assertFailed(gateway.send("PUT", "/approvals/x/y/approve", RunningGateway.REVIEWER, null), 404, "NOT_FOUND");
        assertFailed(gateway.get("/nope", RunningGateway.AGENT), 404, "NOT_FOUND");
    }

    @Test
    void formPostsAreRefusedWithAHint() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/engagements"))
                .header("Authorization", "Bearer " + RunningGateway.AGENT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"action\":\"like\"}")).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(415, response.statusCode());
        JsonNode body = RunningGateway.json(response.body());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", body.at("/error/code").asText());
    }

    static String reply(String platform, String target, String content) {
        return "{\"action\": \"reply\", \"platform\": \"" + platform + "\", \"target\": \"" + target + "\", \"content\": \""
                + content + "\"}";
    }

    static String comment(String platform, String target, String content) {
        return "{\"action\": \"comment\", \"platform\": \"" + platform + "\", \"target\": \"" + target + "\", \"content\": \""
                + content + "\"}";
    }
}
