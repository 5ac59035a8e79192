package dev.engagement.gateway;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.platform.ContentLength;
import dev.engagement.gateway.support.FakeLanguageModel;
import dev.engagement.gateway.support.RunningGateway;
import dev.engagement.gateway.support.RunningGateway.Answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reply or comment that comes without text is drafted by a language model (an OpenAI-compatible chat-completions
 * server, here a fake one on loopback) and always waits for a reviewer; the model's failures are contract answers,
 * and a model server that hangs holds up nothing but the drafts.
 */
class DraftingRepliesTest {

    private static final String REVIEWER = RunningGateway.REVIEWER;
    private static final String KEY = "sk-test-drafting-key-0123456789";
    private static final String MODEL = "llama3.2-test";
    /** The post tweet_12345 of the sandbox, by user_customer_ana. */
    private static final String TARGET_TEXT = "Love the new dashboard, but export to CSV is still missing. Any plans?";

    private static FakeLanguageModel model;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        model = new FakeLanguageModel();
        gateway = RunningGateway.start(Files.createTempDirectory("drafting"), drafting(model, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            model.close();
        }
    }

    /** Drafting on, against the fake; short timeout and bulkhead; failures never open the breaker between tests. */
    private static Map<String, String> drafting(FakeLanguageModel fake, Map<String, String> more) {
        Map<String, String> p = new HashMap<>();
        p.put("engagement.drafting.enabled", "true");
        p.put("engagement.drafting.base-url", fake.baseUrl());
        p.put("engagement.drafting.model", MODEL);
        p.put("engagement.drafting.api-key-env", "TEST_DRAFTING_KEY");
        // a variable is a setting or -D of its name before the environment (Settings.variable)
        p.put("TEST_DRAFTING_KEY", KEY);
        p.put("engagement.drafting.timeout-ms", "2000");
        p.put("engagement.drafting.bulkhead", "2");
        p.put("engagement.drafting.bulkhead-wait-ms", "200");
        p.put("engagement.resilience.circuit.minimum-calls", "100");
        p.put("engagement.resilience.circuit.window", "100");
        p.putAll(more);
        return p;
    }

    private static String replyWithoutText(String platform, String target, String requestId) {
        return "{\"action\": \"reply\", \"platform\": \"" + platform + "\", \"target\": \"" + target + "\","
                + " \"persona_constraints\": [\"professional\", \"helpful\"]"
                + (requestId == null ? "" : ", \"request_id\": \"" + requestId + "\"") + "}";
    }

    /** The pending item of the approval queue with this id. */
    private static JsonNode queued(String id) throws Exception {
        Answer queue = gateway.get("/approvals?reason=drafted_by_llm", REVIEWER);
        assertEquals(200, queue.status(), queue.raw());
        for (JsonNode item : queue.body().path("items")) {
            if (item.path("engagement_id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " is not in the queue of drafted items: " + queue.raw());
    }

    /** An answer and how long it took, in ms. */
    private record Timed(Answer answer, long millis) {
    }

    private static Timed timed(Callable<Answer> call) throws Exception {
        long start = System.nanoTime();
        Answer a = call.call();
        return new Timed(a, (System.nanoTime() - start) / 1_000_000);
    }

    private static List<String> rules(JsonNode reasons) {
        List<String> rules = new ArrayList<>();
        reasons.forEach(r -> rules.add(r.path("rule").asText()));
        return rules;
    }

    @Test
    void aReplyWithoutTextIsDraftedFromThePostAndWaitsForAReviewerWhoPostsIt() throws Exception {
        String draft = "Thanks, Ana! CSV export is on our roadmap, and we will share news here as soon as it ships.";
        model.drafts("  \"" + draft + "\"\n");
        int before = model.requests().size();

        // even with the agent's full confidence: a drafted text is never posted without a reviewer
        Answer pending = gateway.submit("{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"tweet_12345\","
                + " \"persona_constraints\": [\"professional\", \"helpful\"], \"request_id\": \"draft-ok-1\", \"confidence\": 1.0}")
                .assertContract();
        assertEquals(202, pending.status(), pending.raw());
        assertEquals("pending", pending.text("/status"));
        assertTrue(rules(pending.body().at("/platform_response/reasons")).contains("drafted_by_llm"), pending.raw());
        String id = pending.text("/engagement_id");

        // what the model was asked, as the API is asked
        assertEquals(before + 1, model.requests().size());
        FakeLanguageModel.Request asked = model.lastRequest();
        assertEquals("Bearer " + KEY, asked.authorization());
        assertEquals(MODEL, asked.body().path("model").asText());
        assertEquals("system", asked.body().at("/messages/0/role").asText());
        assertEquals("user", asked.body().at("/messages/1/role").asText());
        String prompt = asked.messages();
        assertTrue(prompt.contains(TARGET_TEXT), "the post it answers: " + prompt);
        assertTrue(prompt.contains("user_customer_ana"), "its author: " + prompt);
        assertTrue(prompt.contains("professional") && prompt.contains("helpful"), "the persona's constraints: " + prompt);
        assertTrue(prompt.contains("280"), "the platform's limit: " + prompt);
        assertFalse(asked.body().toString().contains(RunningGateway.AGENT), "nothing of the agent's request goes to the model");

        // the reviewer sees the draft (without the quotes the model wrapped it in) and why it waits
        JsonNode item = queued(id);
        assertEquals(draft, item.at("/request/content").asText(), item.toString());
        assertEquals(TARGET_TEXT, item.at("/context/target/text").asText(), item.toString());
        List<String> events = gateway.eventNames(id);
        assertEquals(List.of("received", "drafted", "queued_for_review"), events);
        JsonNode drafted = gateway.get("/engagements/" + id + "/events", REVIEWER).body().get(1);
        assertTrue(drafted.path("actor").asText().contains(MODEL), "the event names the model: " + drafted);
        assertEquals(draft, drafted.path("content").asText(), drafted.toString());
        assertFalse(gateway.get("/engagements/" + id + "/events", REVIEWER).raw().contains(KEY), "the key is never stored");
        assertEquals(0, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_12345"), "nothing posted before approval");

        // a replay of the same request answers the stored result and asks the model nothing
        Answer replay = gateway.submit(replyWithoutText("twitter", "tweet_12345", "draft-ok-1").replace("}",
                ", \"confidence\": 1.0}")).assertContract();
        assertEquals(202, replay.status(), replay.raw());
        assertEquals(id, replay.text("/engagement_id"));
        assertEquals(before + 1, model.requests().size(), "not drafted again");

        Answer approved = gateway.post("/approvals/" + id + "/approve", REVIEWER, "{\"reviewer\": \"maria\"}").assertContract();
        assertEquals(200, approved.status(), approved.raw());
        assertEquals("success", approved.text("/status"));
        assertTrue(gateway.ledger("twitter").toString().contains(draft), "the draft is what was posted");

        // and after the approval, a replay still answers that engagement without drafting
        Answer late = gateway.submit(replyWithoutText("twitter", "tweet_12345", "draft-ok-1").replace("}",
                ", \"confidence\": 1.0}")).assertContract();
        assertEquals(200, late.status(), late.raw());
        assertEquals(id, late.text("/engagement_id"));
        assertEquals(before + 1, model.requests().size());
    }

    @Test
    void nothingOfTheAgentsOwnRequestGoesToTheModelsServer() throws Exception {
        model.drafts("Thanks for the kind words!");
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/engagements"))
                .header("Authorization", "Bearer " + RunningGateway.AGENT)
                .header("Content-Type", "application/json")
                .header("X-Agent-Trace", "agent-trace-4711")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(replyWithoutText("twitter", "tweet_24680", null))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
        FakeLanguageModel.Request asked = model.lastRequest();
        assertEquals("Bearer " + KEY, asked.authorization());
        assertFalse(asked.headers().contains(RunningGateway.AGENT) || asked.headers().contains("agent-trace-4711"),
                "the agent's headers stay with the gateway: " + asked.headers());
        assertFalse(asked.headers().toLowerCase(java.util.Locale.ROOT).contains("camel"), asked.headers());
    }

    @Test
    void aReviewerMayEditTheDraftAndTheEditIsWhatIsPosted() throws Exception {
        model.drafts("Great question! Export is coming soon.");
        Answer pending = gateway.submit(replyWithoutText("twitter", "tweet_24680", "draft-edit-1")).assertContract();
        assertEquals(202, pending.status(), pending.raw());
        String id = pending.text("/engagement_id");
        String edited = "Thank you so much, Ana! Glad the export works for you.";

        Answer approved = gateway.post("/approvals/" + id + "/approve", REVIEWER,
                "{\"reviewer\": \"li\", \"content\": \"" + edited + "\"}").assertContract();
        assertEquals(200, approved.status(), approved.raw());
        String ledger = gateway.ledger("twitter").toString();
        assertTrue(ledger.contains(edited), ledger);
        assertFalse(ledger.contains("Export is coming soon"), "never the draft: " + ledger);
        assertEquals(List.of("received", "drafted", "queued_for_review", "edited", "approved"), gateway.eventNames(id).subList(0, 5));

        // a replay after the edit is still the same request, answered again
        Answer replay = gateway.submit(replyWithoutText("twitter", "tweet_24680", "draft-edit-1")).assertContract();
        assertEquals(200, replay.status(), replay.raw());
        assertEquals(id, replay.text("/engagement_id"), replay.raw());
    }

    @Test
    void aDraftThePolicyWouldRefuseIsRefusedAndTheRefusalSaysItWasDrafted() throws Exception {
        model.drafts("You are all idiots and your complaints are pathetic trash. Go away.");
        Answer refused = gateway.submit(replyWithoutText("twitter", "tweet_98765", null)).assertContract();
        assertEquals(422, refused.status(), refused.raw());
        assertEquals("REJECTED_BY_POLICY", refused.text("/error/code"));
        assertTrue(refused.text("/error/message").contains("drafted_by_llm"), refused.raw());
        assertEquals(0, ApprovalFlowTest.calls(gateway.ledger("twitter"), "tweet_98765"));
    }

    @Test
    void aDraftOverThePlatformsLimitIsCutAtASentenceEndAndTheReviewerIsTold() throws Exception {
        String first = "Thanks for the thoughtful question about the export feature, we really appreciate it.";
        String second = "Our team is working on CSV and Excel export right now and expects to ship both within weeks.";
        String third = "In the meantime you can copy tables from the dashboard, and we would love to hear which formats"
                + " and columns matter most to you and your team, so please tell us more about your reporting workflow.";
        model.drafts(first + " " + second + " " + third);
        assertTrue(ContentLength.TWITTER_WEIGHTED.count(first + " " + second + " " + third) > 280);

        Answer pending = gateway.submit(replyWithoutText("twitter", "tweet_12345", null)).assertContract();
        assertEquals(202, pending.status(), pending.raw());
        JsonNode item = queued(pending.text("/engagement_id"));
        String content = item.at("/request/content").asText();
        assertEquals(first + " " + second, content, "cut after the last sentence that fits: " + item);
        assertTrue(rules(item.path("reasons")).contains("drafted_by_llm.shortened"), item.toString());
    }

    @Test
    void theModelsErrorsAreContractAnswersWithStableCodes() throws Exception {
        model.fails(401, "{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\"}}", null);
        Answer badKey = gateway.submit(replyWithoutText("twitter", "tweet_12345", "draft-401")).assertContract();
        assertEquals(502, badKey.status(), badKey.raw());
        assertEquals("DRAFTING_FAILED", badKey.text("/error/code"));
        assertFalse(badKey.body().at("/error/retryable").asBoolean(), badKey.raw());
        assertTrue(badKey.text("/error/message").contains("401") && badKey.text("/error/message").contains("Incorrect API key"),
                badKey.raw());
        assertFalse(badKey.raw().contains(KEY), "the key is never told");
        assertEquals("failed", gateway.get("/engagements/" + badKey.text("/engagement_id"), REVIEWER).text("/status"));

        model.fails(429, "{\"error\": {\"message\": \"Rate limit reached\"}}", "7");
        Answer limited = gateway.submit(replyWithoutText("twitter", "tweet_12345", null)).assertContract();
        assertEquals(503, limited.status(), limited.raw());
        assertEquals("DRAFTING_UNAVAILABLE", limited.text("/error/code"));
        assertTrue(limited.body().at("/error/retryable").asBoolean(), limited.raw());
        assertEquals(7, limited.body().at("/error/retry_after").asInt(), limited.raw());

        model.fails(500, "{\"error\": \"model crashed\"}", null);
        Answer crashed = gateway.submit(replyWithoutText("threads", "thread_12345", null)).assertContract();
        assertEquals(503, crashed.status(), crashed.raw());
        assertEquals("DRAFTING_UNAVAILABLE", crashed.text("/error/code"));
        assertTrue(crashed.text("/error/message").contains("500"), crashed.raw());

        model.fails(200, FakeLanguageModel.completion("  \"\"  "), null);
        Answer empty = gateway.submit(replyWithoutText("twitter", "tweet_12345", null)).assertContract();
        assertEquals(502, empty.status(), empty.raw());
        assertEquals("DRAFTING_FAILED", empty.text("/error/code"));
        assertTrue(empty.text("/error/message").contains("empty"), empty.raw());

        model.fails(200, "{\"object\": \"list\", \"data\": []}", null);
        Answer notACompletion = gateway.submit(replyWithoutText("twitter", "tweet_12345", null)).assertContract();
        assertEquals("DRAFTING_FAILED", notACompletion.text("/error/code"), notACompletion.raw());

        // a server that answers megabytes is not read to the end (nor held in memory)
        model.fails(200, FakeLanguageModel.completion("x".repeat(3 << 20)), null);
        Answer huge = gateway.submit(replyWithoutText("twitter", "tweet_12345", null)).assertContract();
        assertEquals("DRAFTING_FAILED", huge.text("/error/code"), huge.raw());
        assertTrue(huge.text("/error/message").contains("not read"), huge.raw());
    }

    @Test
    void aHungModelServerAnswersOnlyTheDraftsWithAnErrorWhileEverythingElseStaysFast() throws Exception {
        model.hangs();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Timed>> drafts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                drafts.add(pool.submit(() -> timed(() -> gateway.submit(replyWithoutText("twitter", "tweet_12345", null)))));
            }
            Thread.sleep(300); // the drafts are in flight, two of them at the model

            for (Callable<Answer> call : List.<Callable<Answer>>of(
                    () -> gateway.get("/observe/health", null),
                    () -> gateway.get("/approvals", REVIEWER),
                    () -> gateway.submit("{\"action\": \"like\", \"platform\": \"twitter\", \"target\": \"tweet_hung_llm\"}"),
                    () -> gateway.submit("{\"action\": \"reply\", \"platform\": \"twitter\", \"target\": \"tweet_12345\","
                            + " \"content\": \"Thanks, Ana! Noted.\"}"))) {
                Timed other = timed(call);
                assertEquals(200, other.answer().status(), other.answer().raw());
                assertTrue(other.millis() < 1000, "answered as fast as usual while the model hangs: " + other.millis() + " ms, "
                        + other.answer().raw());
            }

            int timedOut = 0;
            for (Future<Timed> f : drafts) {
                Answer a = f.get().answer().assertContract();
                assertEquals(503, a.status(), a.raw());
                assertEquals("DRAFTING_UNAVAILABLE", a.text("/error/code"), a.raw());
                assertTrue(f.get().millis() < 4000, "answered within the drafting timeout (2 s): " + f.get().millis() + " ms");
                if (a.text("/error/message").contains("did not answer within 2000 ms")) {
                    timedOut++;
                } else {
                    assertTrue(a.text("/error/message").contains("drafts in flight"), a.raw());
                }
            }
            pool.shutdown();
            assertTrue(timedOut >= 2, timedOut + " of 6 waited for the model until the timeout");
            assertTrue(timedOut <= 4, "no more than the bulkhead's worth at a time: " + timedOut);
        } finally {
            model.drafts("Thanks!");
        }
    }

    @Test
    void withoutDraftingAReplyWithoutTextIsRefusedAsBefore() throws Exception {
        try (RunningGateway plain = RunningGateway.start()) {
            Answer a = plain.submit(replyWithoutText("twitter", "tweet_12345", null)).assertContract();
            assertEquals(400, a.status(), a.raw());
            assertEquals("VALIDATION_FAILED", a.text("/error/code"));
            assertEquals("/content", a.text("/error/violations/0/pointer"), a.raw());
        }
    }

    @Test
    void draftingEnabledWithoutAModelDoesNotStartAndSaysWhichSettingIsMissing() {
        Exception e = assertThrows(Exception.class, () -> RunningGateway.start(Files.createTempDirectory("drafting-bad"),
                Map.of("engagement.drafting.enabled", "true", "engagement.drafting.base-url", "http://127.0.0.1:9/v1")).close());
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || !t.getMessage().contains("engagement.drafting."))) {
            t = t.getCause();
        }
        assertNotNull(t.getMessage());
        assertTrue(t.getMessage().contains("engagement.drafting.model"), t.getMessage());
    }
}
