package dev.engagement.gateway.connector;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.connector.x.XConnector;
import dev.engagement.gateway.support.CapturedLogs;
import dev.engagement.gateway.support.ConnectorUnderTest;
import dev.engagement.gateway.support.FakePlatformApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The X connector as an MCP client sees it, against a local fake of X API v2 that answers as X's documentation
 * shows: what it lists, the exact requests it sends for each tool, and how it answers X's refusals and failures.
 */
class XConnectorTest {

    static final String TOKEN = "test-x-user-token-abcdef";
    static final String ME = "2244994945";
    private static final ObjectMapper MAPPER = ConnectorUnderTest.MAPPER;

    private static FakePlatformApi x;
    private static ConnectorUnderTest connector;

    @BeforeAll
    static void start() throws Exception {
        x = new FakePlatformApi();
        connector = new ConnectorUnderTest("x", Map.of(XConnector.BASE_URL, x.baseUrl(), XConnector.TOKEN, TOKEN,
                XConnector.TIMEOUT, "1500"));
    }

    @AfterAll
    static void stop() {
        connector.close();
        x.close();
    }

    @BeforeEach
    void fresh() {
        x.reset();
        x.on("GET", "/2/users/me", 200, "{\"data\":{\"id\":\"" + ME + "\",\"name\":\"Gateway Test\",\"username\":\"gw_test\"}}");
    }

    @Test
    void itListsTheSkillsToolsForXAndTheUserLookup() {
        assertEquals(List.of("follow_user", "get_tweet", "get_user", "like_tweet", "reply_to_tweet", "retweet"), connector.toolNames());
    }

    @Test
    void aReplyIsOnePostToTweetsWithTheUsersBearerToken() throws Exception {
        x.on("POST", "/2/tweets", 201, """
                {"data":{"id":"1445880548472328192","text":"Thanks for the feedback!","edit_history_tweet_ids":["1445880548472328192"]}}""");
        JsonNode answer = call("reply_to_tweet", Map.of("tweet_id", "1445880548472328100", "text", "Thanks for the feedback!"));
        assertEquals("1445880548472328192", answer.path("id").asText(), answer.toString());
        assertEquals("1445880548472328100", answer.path("in_reply_to").asText());
        FakePlatformApi.Request sent = x.requests("POST", "/2/tweets").get(0);
        assertEquals("Bearer " + TOKEN, sent.authorization());
        assertEquals("application/json", sent.contentType());
        assertEquals(MAPPER.readTree("{\"text\":\"Thanks for the feedback!\",\"reply\":{\"in_reply_to_tweet_id\":\"1445880548472328100\"}}"),
                MAPPER.readTree(sent.body()));
    }

    @Test
    void aLikeAsksForTheAccountOnceThenPostsToItsLikes() throws Exception {
        x.on("POST", "/2/users/" + ME + "/likes", 200, "{\"data\":{\"liked\":true}}");
        assertTrue(call("like_tweet", Map.of("tweet_id", "1460323737035677698")).path("liked").asBoolean());
        call("like_tweet", Map.of("tweet_id", "1460323737035677699"));
        List<FakePlatformApi.Request> likes = x.requests("POST", "/2/users/" + ME + "/likes");
        assertEquals(2, likes.size());
        assertEquals(MAPPER.readTree("{\"tweet_id\":\"1460323737035677698\"}"), MAPPER.readTree(likes.get(0).body()));
        assertEquals("Bearer " + TOKEN, likes.get(0).authorization());
        assertTrue(x.requests("GET", "/2/users/me").size() <= 1, "the account is asked once: " + x.requests());
    }

    @Test
    void aFollowOfAnHandleLooksTheUserUpFirst() throws Exception {
        x.on("GET", "/2/users/by/username/XDevelopers", 200, "{\"data\":{\"id\":\"2244994945\",\"name\":\"Developers\",\"username\":\"XDevelopers\"}}");
        x.on("POST", "/2/users/" + ME + "/following", 200, "{\"data\":{\"following\":true,\"pending_follow\":false}}");
        JsonNode answer = call("follow_user", Map.of("user_id", "@XDevelopers"));
        assertTrue(answer.path("following").asBoolean(), answer.toString());
        assertEquals("2244994945", answer.path("user_id").asText());
        assertEquals(MAPPER.readTree("{\"target_user_id\":\"2244994945\"}"),
                MAPPER.readTree(x.requests("POST", "/2/users/" + ME + "/following").get(0).body()));
    }

    @Test
    void aRepostPostsToTheAccountsRetweets() throws Exception {
        x.on("POST", "/2/users/" + ME + "/retweets", 200, "{\"data\":{\"retweeted\":true}}");
        assertTrue(call("retweet", Map.of("tweet_id", "1228393702244134912")).path("retweeted").asBoolean());
        assertEquals(MAPPER.readTree("{\"tweet_id\":\"1228393702244134912\"}"),
                MAPPER.readTree(x.requests("POST", "/2/users/" + ME + "/retweets").get(0).body()));
    }

    @Test
    void getTweetSaysWhetherThePostMentionsOrQuotesTheAccount() throws Exception {
        x.on("GET", "/2/tweets/1500", 200, """
                {"data":{"id":"1500","text":"@gw_test what do you think?","author_id":"783214","conversation_id":"1500",
                  "created_at":"2026-02-04T12:00:00.000Z","reply_settings":"everyone",
                  "entities":{"mentions":[{"start":0,"end":8,"username":"gw_test","id":"2244994945"}]}},
                 "includes":{"users":[{"id":"783214","name":"X","username":"X"}]}}""");
        x.on("GET", "/2/tweets/1501", 200, """
                {"data":{"id":"1501","text":"Look at this","author_id":"783214",
                  "referenced_tweets":[{"type":"quoted","id":"1400"}]},
                 "includes":{"users":[{"id":"783214","name":"X","username":"X"}],
                             "tweets":[{"id":"1400","text":"our post","author_id":"2244994945"}]}}""");
        x.on("GET", "/2/tweets/1502", 200, """
                {"data":{"id":"1502","text":"Nothing to do with you","author_id":"783214"},
                 "includes":{"users":[{"id":"783214","name":"X","username":"X"}]}}""");
        JsonNode mentioned = call("get_tweet", Map.of("tweet_id", "1500"));
        assertEquals("X", mentioned.path("author").asText());
        assertTrue(mentioned.path("mentions_account").asBoolean(), mentioned.toString());
        JsonNode quoted = call("get_tweet", Map.of("tweet_id", "1501"));
        assertTrue(quoted.path("quotes_account").asBoolean(), quoted.toString());
        assertFalse(quoted.path("mentions_account").asBoolean());
        JsonNode neither = call("get_tweet", Map.of("tweet_id", "1502"));
        assertFalse(neither.path("mentions_account").asBoolean() || neither.path("quotes_account").asBoolean(), neither.toString());
        String query = x.requests("GET", "/2/tweets/1500").get(0).query();
        assertTrue(query.contains("tweet.fields=") && query.contains("entities") && query.contains("referenced_tweets")
                && query.contains("expansions=author_id,referenced_tweets.id"), query);
    }

    @Test
    void xsRateLimitIsAnsweredWithTheSecondsUntilItsReset() {
        long reset = Instant.now().getEpochSecond() + 600;
        x.on("POST", "/2/users/" + ME + "/likes", 429, "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}",
                "x-rate-limit-limit", "50", "x-rate-limit-remaining", "0", "x-rate-limit-reset", String.valueOf(reset));
        JsonNode error = callFailing("like_tweet", Map.of("tweet_id", "1460323737035677698"));
        assertEquals("RATE_LIMITED", error.path("code").asText());
        long wait = error.path("retry_after").asLong();
        assertTrue(wait >= 598 && wait <= 600, error.toString());
    }

    @Test
    void xsReplyRestrictionIsNotPermittedWithXsReason() {
        x.on("POST", "/2/tweets", 403, """
                {"detail":"Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.","type":"about:blank","title":"Forbidden","status":403}""");
        JsonNode error = callFailing("reply_to_tweet", Map.of("tweet_id", "1502", "text", "Hello"));
        assertEquals("NOT_PERMITTED", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("not been mentioned"), error.toString());
    }

    @Test
    void aRefusedTokenIsAuthFailedNamingTheVariableNeverTheToken() throws Exception {
        x.on("POST", "/2/users/" + ME + "/retweets", 401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}");
        try (CapturedLogs logs = new CapturedLogs(Class.forName("dev.engagement.gateway.connector.x.XApiErrors"))) {
            JsonNode error = callFailing("retweet", Map.of("tweet_id", "1228393702244134912"));
            assertEquals("AUTH_FAILED", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("X_USER_ACCESS_TOKEN"), error.toString());
            assertFalse(error.toString().contains(TOKEN));
            CapturedLogs.Line line = logs.lines().stream().filter(l -> l.level() == Level.ERROR).findFirst()
                    .orElseThrow(() -> new AssertionError("an ERROR line for the operator: " + logs.lines()));
            assertTrue(line.message().contains("X_USER_ACCESS_TOKEN") && !line.message().contains(TOKEN), line.message());
        }
    }

    @Test
    void aPostXDoesNotHaveIsNotFound() {
        x.on("GET", "/2/tweets/1999", 200, """
                {"errors":[{"value":"1999","detail":"Could not find tweet with id: [1999].","title":"Not Found Error","resource_type":"tweet","parameter":"id","resource_id":"1999","type":"https://api.twitter.com/2/problems/resource-not-found"}]}""");
        x.on("POST", "/2/users/" + ME + "/following", 404, "{\"title\":\"Not Found Error\",\"detail\":\"Could not find user\",\"type\":\"about:blank\",\"status\":404}");
        assertEquals("NOT_FOUND", callFailing("get_tweet", Map.of("tweet_id", "1999")).path("code").asText());
        assertEquals("NOT_FOUND", callFailing("follow_user", Map.of("user_id", "12345")).path("code").asText());
        // not an X id at all: refused without asking X
        assertEquals("NOT_FOUND", callFailing("like_tweet", Map.of("tweet_id", "tweet_12345")).path("code").asText());
        assertTrue(x.requests("POST", "/2/users/" + ME + "/likes").isEmpty());
    }

    @Test
    void xsServerErrorsAreUnavailableAndAHungCallTimesOut() {
        x.on("POST", "/2/tweets", 503, "{\"title\":\"Service Unavailable\",\"detail\":\"Service Unavailable\",\"type\":\"about:blank\",\"status\":503}");
        JsonNode failed = callFailing("reply_to_tweet", Map.of("tweet_id", "1500", "text", "Hi"));
        assertEquals("UNAVAILABLE", failed.path("code").asText());
        assertTrue(failed.path("effect_unknown").asBoolean(), "X may have posted before failing: " + failed);
        x.hangOn("GET", "/2/tweets/1600");
        long start = System.nanoTime();
        assertEquals("TIMEOUT", callFailing("get_tweet", Map.of("tweet_id", "1600")).path("code").asText());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "gave up after the connector's timeout");
    }

    private static JsonNode call(String tool, Map<String, Object> arguments) {
        return connector.call(tool, arguments);
    }

    private static JsonNode callFailing(String tool, Map<String, Object> arguments) {
        return connector.callFailing(tool, arguments);
    }
}
