package dev.engagement.gateway.policy;

import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Reason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy as shipped (application.properties, the lexicon, the persona word lists, VADER) against
 * a labelled set of realistic replies and comments (src/test/resources/policy/evaluation-set.jsonl:
 * positive, neutral, negative, replies to negative posts, sensitive and obfuscated sensitive
 * content, persona violations, and hard cases such as sarcasm). "Needs a human" is predicted when
 * the decision is not auto-execute (review or refuse). Prints precision and recall; fails below
 * 0.9 recall or 0.8 precision.
 */
class PolicyEvaluationTest {

    private static final double MIN_RECALL = 0.90;
    private static final double MIN_PRECISION = 0.80;

    @Test
    void needsAHumanIsFoundWithHighRecallAndGoodPrecision() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy();
        double autoExecuteAbove = 0.90;
        ObjectMapper mapper = new ObjectMapper();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        Map<String, int[]> byKind = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/policy/evaluation-set.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode item = mapper.readTree(line);
                List<String> persona = new ArrayList<>();
                item.path("persona_constraints").forEach(p -> persona.add(p.asText()));
                EngagementRequest request = new EngagementRequest(item.path("action").asText(), item.path("platform").asText(),
                        "eval_" + item.path("id").asText(), item.path("content").asText(), persona, null, null);
                String targetText = item.path("target_text").isTextual() ? item.path("target_text").asText() : null;
                Assessment a = policy.score(request, targetText);
                boolean predicted = a.needsHuman() || a.confidence() <= autoExecuteAbove;
                boolean expected = item.path("needs_human").asBoolean();
                int[] k = byKind.computeIfAbsent(item.path("kind").asText(), x -> new int[2]);
                k[0]++;
                if (predicted == expected) {
                    k[1]++;
                }
                if (predicted && expected) {
                    tp++;
                } else if (predicted) {
                    fp++;
                    misses.add("false alarm " + item.path("id").asText() + " (" + a.confidence() + ", " + a.summary() + "): "
                            + item.path("content").asText());
                } else if (expected) {
                    fn++;
                    misses.add("missed      " + item.path("id").asText() + " [" + item.path("kind").asText() + "]: "
                            + item.path("content").asText() + (targetText == null ? "" : "  <- " + targetText));
                } else {
                    tn++;
                }
            }
        }
        double precision = tp / (double) Math.max(1, tp + fp);
        double recall = tp / (double) Math.max(1, tp + fn);
        System.out.printf(Locale.ROOT, "Policy evaluation on %d labelled items: needs-a-human precision %.3f, recall %.3f "
                + "(tp %d, fp %d, fn %d, tn %d)%n", tp + fp + fn + tn, precision, recall, tp, fp, fn, tn);
        byKind.forEach((kind, k) -> System.out.printf(Locale.ROOT, "  %-10s %3d items, %3d decided as labelled%n", kind, k[0], k[1]));
        misses.forEach(m -> System.out.println("  " + m));
        assertTrue(tp + fp + fn + tn >= 200, "the evaluation set has at least 200 items");
        assertTrue(recall >= MIN_RECALL, "recall " + recall + " is below " + MIN_RECALL);
        assertTrue(precision >= MIN_PRECISION, "precision " + precision + " is below " + MIN_PRECISION);
    }
}
