package dev.engagement.gateway.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Reason;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policy as shipped (application.properties, lexicon, patterns, paraphrase model, persona word lists, VADER)
 * against a labelled set of replies, comments, shares and likes on the four platforms: ordinary, negative and
 * crisis-handling texts, persona violations, each category of sensitive content in varied and obfuscated
 * phrasing, and benign look-alikes that must not be held ("this deal is a steal", "you're killing it"). The first
 * 647 items were split once, stratified by category, 40% held out (seed 16). Round 2 (issue 16): 455 more items
 * (ids r2-...), written blind before the rules, lexicon and earlier items were read and committed as
 * evaluation-round2.jsonl, were split once by {@link EvaluationSplit} (stratified by category, each category
 * shuffled with java.util.Random seed 216, round(40%) held out) and appended to the two parts. Rounds 3 and 4: 502
 * and 517 more (ids r3-..., r4-...), written blind the same way (evaluation-round3.jsonl, evaluation-round4.jsonl),
 * split the same way with seeds 316 and 416. Round 5: 1,800 more (ids r5a-... to r5f-..., six writers, each for a
 * different world of brands; evaluation-round5.jsonl), split with seed 516. Round 6: 1,800 more (r6a-... to r6f-...,
 * six more writers and worlds; evaluation-round6.jsonl), split with seed 616. Round 7: 1,800 more (r7a-... to
 * r7f-..., six more writers and worlds; evaluation-round7.jsonl), split with seed 716.
 * src/test/resources/policy/evaluation-dev.jsonl is what the rules were tuned on and the model trained on;
 * evaluation-heldout.jsonl is only measured, and its figures are the ones to report. "Needs a human" is predicted when the decision is not auto-execute. Prints, for
 * each part, precision and recall, a table of recall per category with the detectors that fired, and the misses.
 */
class PolicyEvaluationTest {

    private static final double AUTO_EXECUTE_ABOVE = 0.90;
    /** Issue 16's targets on the held-out part; the print says which are met. */
    private static final double TARGET_RECALL = 0.97;
    private static final double TARGET_PRECISION = 0.90;
    private static final double TARGET_CATEGORY_RECALL = 0.90;
    /**
     * What the held-out part must not fall below. Round 2 (2026-12-02): the held-out part was measured five times
     * (recall 0.925 on a stale build, then 0.964 / precision 0.918 twice after tuning, then 0.964 / 0.925 twice).
     * Round 3: the whole of round 3 was measured once before anything was tuned on it (recall 0.778, precision
     * 0.896), then split; after tuning the held-out part (638 items) was measured three times (recall 0.906, then
     * 0.897 twice, precision 0.908 to 0.910) as rules written from held-out items were taken out and a bug fixed.
     * Round 4: the whole of round 4 was measured, aggregates only, with the policy before and after the model read
     * the post a reply answers (recall 0.734, then 0.760), then split; after tuning the held-out part (845 items)
     * was measured twice (recall 0.888, precision 0.893; then, after 14 benign development items were added for a
     * false alarm JudgementTest found, 0.888 / 0.896, lowest category negative 0.722; round 3's items 0.810, round
     * 4's 0.781). Round 5 (1,800 items): measured whole first (the policy of round 4: precision 0.804, recall 0.785;
     * the rules alone 0.605), then split; the held-out part (now 1,565 items) was measured five times: with the
     * model retrained on 2,370 items at a false-alarm rate of 1.5% and the content's sentiment at -0.40 (chosen by
     * PolicyCrossValidation): 0.859 / 0.902, a setting dropped because it held or refused ordinary replies of the
     * gateway's own tests; at 0.5% and -0.25, as shipped: 0.867 / 0.847, lowest category negative 0.514, round 5's
     * items 0.829 / 0.795; and the previous model on the same part, for comparison: 0.865 / 0.841. Then (2026-12-03),
     * with model readings capped so they no longer add up to a refusal, at 0.75% (chosen by PolicyCrossValidation,
     * the laxest tried at which none of the gateway's own ordinary replies is held): 0.861 / 0.855, lowest
     * category negative 0.571, round 5's items 0.821 / 0.810; and the 0.5% model again on that machine: 0.867 /
     * 0.847, as before. Then, with the sentence embeddings of e5-small-v2 instead of all-MiniLM-L6-v2 (chosen by
     * PolicyCrossValidation on the development part: round 5's items out of fold, recall 0.865 against 0.829 at the
     * same false alarms), measured twice: as first trained, 0.871 / 0.885, lowest category negative 0.700; then,
     * after 24 benign agreements were added to the development part and thresholds start at 0.60 (the model read
     * the gateway's own "So true, couldn't agree more!" as politics), as shipped: 0.871 / 0.883, lowest category
     * negative 0.686, round 5's items 0.832 / 0.838. Then (2026-12-04), with the model's reading of any category,
     * the categories at 1% and the content's sentiment at -0.40 (all chosen by PolicyCrossValidation), measured
     * twice: as first trained, 0.868 / 0.914, lowest category negative 0.786; then, with harmful_context sitting out
     * of the reading of any category (it read the gateway's own "So true, couldn't agree more!" as sensitive), as
     * first committed: 0.867 / 0.916, lowest category negative 0.786, round 5's items 0.828 / 0.893; and once a
     * trial that read the post and the reply as one text (chosen by PolicyCrossValidation, dropped because the
     * seed's own reply read as harmful_context and a reply cost up to 1.9 times the CPU): 0.875 / 0.922, lowest
     * category negative 0.743; then as shipped, after 30 short thanks under feature requests were added to the
     * development part (the model held "Thanks for the feedback!" under one as harmful_context): 0.864 / 0.919,
     * lowest category negative 0.786, round 5's items 0.822 / 0.900. Then, after rules were written from round 5's
     * development misses (condescension, other languages, posts saying someone is in danger), once: 0.868 / 0.928,
     * lowest category negative 0.814, round 5's items 0.826 / 0.914; then with the labelled neighbours (chosen by
     * PolicyCrossValidation), twice: 0.868 / 0.943, then, compared as integers (a fifth of the CPU), 0.868 / 0.944;
     * lowest category negative 0.814, round 5's items 0.826 / 0.938; then, after 20 short compliments of a post were
     * added to the development part ("Nice post!" read as spam), 0.870 / 0.946, round 5's items 0.829 / 0.938.
     * Round 6 (1,800 items): measured whole first (the policy of round 5: precision 0.790, recall 0.958; the rules
     * alone 0.819 / 0.678), then split; with the model retrained on the development part (3,524 items) and the
     * target's and content's sentiment from -0.50 and the reading of any category at 6% (chosen by
     * PolicyCrossValidation on round 6's development items), the held-out part (now 2,285 items) was measured
     * once: 0.884 / 0.945, lowest category negative 0.827, round 6's items 0.869 / 0.964, round 5's 0.856 / 0.921;
     * then, after rules were written from round 6's development misses, once more: the same counts exactly.
     * Then (2026-12-05), with the regressions trained to convergence (Nesterov's steps) at a weaker L2 penalty,
     * 0.00005 (chosen on the development part: ParaphraseModelTrainer's out-of-fold figures and
     * PolicyCrossValidation), once: 0.893 / 0.956, lowest category negative 0.837, target 0.926, round 6's items
     * 0.864 / 0.969, round 5's 0.882 / 0.945. Round 7 (1,800 items): measured whole first (that policy: precision
     * 0.826, recall 0.954; the rules alone 0.847 / 0.585), then split; with the model retrained on the development
     * part (4,604 items), no setting changed, the held-out part (now 3,005 items) was measured once: 0.881 / 0.958,
     * lowest category negative 0.862, round 7's items 0.838 / 0.950 (0.822 / 0.943 before), the 2,285 items held out
     * before 0.894 / 0.960. Then (2026-12-05), with VADER's readings counted only where the paraphrase model agrees
     * (engagement.policy.sentiment.model-agrees-at 0.35), lexicon stems that met everyday words kept apart ("su",
     * "spice", "up your"), mild swearing in the lexicon and patterns for a post that confides a death, a pregnancy
     * lost, abuse or cutting again (all chosen on the development part: PolicyCrossValidation 0.873 / 0.972 to
     * 0.891 / 0.974, round 7's development items 0.851 / 0.959 to 0.878 / 0.970), once: 0.898 / 0.957, lowest
     * category negative 0.862, benign items posted 0.835 (0.803 before), round 7's items 0.862 / 0.952, the 2,285
     * items held out before round 7 0.909 / 0.958. Then (2026-12-06), with patterns for advice disclaimers, curt
     * dismissals, veiled threats, news passed on before it is public and "cancer" beside a charity run, and a reply
     * that warns against the scam it answers no longer taking the post's category on (development part 0.891 / 0.975
     * to 0.898 / 0.982), once: 0.902 / 0.959, lowest category negative 0.877, benign items posted 0.841, round 7's
     * items 0.868 / 0.957, the 2,285 items held out before round 7 0.913 / 0.959. Then (2026-12-06, later), with
     * the typographic apostrophe read as one, French and Italian elisions split, and insults, threats, telling
     * someone to die, promised returns, medical advice, condescension and politics in five more languages
     * (development part 0.898 / 0.984 to 0.899 / 0.985), once: 0.901 / 0.961, lowest category negative 0.877,
     * benign items posted 0.839, round 7's items 0.865 / 0.960, the 2,285 items held out before round 7
     * 0.912 / 0.961.
     * The held-out test also runs in every build;
     * its output was not read between changes. The targets are not met; these floors, a little
     * under the measurement (a category of 70 items moves 0.014 an item; on another processor the embeddings differ
     * in the third decimal), catch a regression without pretending they are (README, "Judgement"). Raised on
     * 2026-12-05 from 0.90, 0.85 and 0.75, which the measurement had left far behind; precision's to 0.88 the same
     * day (the measurement 0.898), and to 0.89 on 2026-12-06 (0.902).
     */
    private static final double MIN_RECALL = 0.94;
    private static final double MIN_PRECISION = 0.89;
    private static final double MIN_CATEGORY_RECALL = 0.82;

    private static ConfidencePolicy policy;

    /** What the policy made of one part of the set. */
    record Result(int tp, int fp, int fn, int tn, Map<String, int[]> byCategory, Map<String, Integer> detectors,
                  List<String> misses) {

        double precision() {
            return tp / (double) Math.max(1, tp + fp);
        }

        double recall() {
            return tp / (double) Math.max(1, tp + fn);
        }

        /** The lowest recall of a category that needs a human. */
        double lowestCategoryRecall() {
            return byCategory.entrySet().stream().filter(e -> !e.getKey().equals("none"))
                    .mapToDouble(e -> e.getValue()[1] / (double) e.getValue()[0]).min().orElse(1.0);
        }
    }

    @BeforeAll
    static void shippedPolicy() throws Exception {
        policy = PolicyFixture.policy();
    }

    @Test
    void theDevelopmentPartIsDecidedAsLabelled() throws Exception {
        Result r = evaluate("/policy/evaluation-dev.jsonl");
        print("development part (tuned on)", r);
        assertTrue(r.tp() + r.fp() + r.fn() + r.tn() >= 350, "the development part has at least 350 items");
    }

    /** What the lexicon and patterns catch on their own, without the model (trained on this very part). */
    @Test
    void theDevelopmentPartByTheRulesAlone() throws Exception {
        Result r = evaluate(PolicyFixture.policy(ParaphraseModelTrainer.shippedRules()), "/policy/evaluation-dev.jsonl", id -> true);
        print("development part, the rules alone (no model)", r);
    }

    @Test
    void theHeldOutPartMeetsTheTargets() throws Exception {
        List<Decided> heldOut = decide(policy, "/policy/evaluation-heldout.jsonl");
        Result r = tally(heldOut, id -> true);
        print("held-out part (never tuned on)", r);
        System.out.printf(Locale.ROOT, "  issue 16 targets: recall %.3f >= %.2f %s, precision %.3f >= %.2f %s, lowest category %.3f >= %.2f %s%n",
                r.recall(), TARGET_RECALL, met(r.recall() >= TARGET_RECALL), r.precision(), TARGET_PRECISION,
                met(r.precision() >= TARGET_PRECISION), r.lowestCategoryRecall(), TARGET_CATEGORY_RECALL,
                met(r.lowestCategoryRecall() >= TARGET_CATEGORY_RECALL));
        for (int round = 2; round <= 7; round++) {
            String prefix = "r" + round; // r2-..., and rounds 5 to 7: r5a-... to r7f-...
            print("held-out part, round " + round + " items only (written blind, never seen)", tally(heldOut, id -> id.startsWith(prefix)));
        }
        assertTrue(r.tp() + r.fp() + r.fn() + r.tn() >= 250, "the held-out part has at least 250 items");
        assertTrue(r.recall() >= MIN_RECALL, "held-out recall " + r.recall() + " is below " + MIN_RECALL);
        assertTrue(r.precision() >= MIN_PRECISION, "held-out precision " + r.precision() + " is below " + MIN_PRECISION);
        assertTrue(r.lowestCategoryRecall() >= MIN_CATEGORY_RECALL, "a held-out category's recall is " + r.lowestCategoryRecall());
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT MET";
    }

    static Result evaluate(String resource) throws Exception {
        return evaluate(policy, resource, id -> true);
    }

    /** The items of one part whose id {@code ids} accepts, decided by {@code policy}. */
    static Result evaluate(ConfidencePolicy policy, String resource, Predicate<String> ids) throws Exception {
        return tally(decide(policy, resource), ids);
    }

    /** One labelled item and what the policy made of it. */
    record Decided(String id, String category, boolean expected, boolean predicted, Assessment assessment, String content,
                   String targetText) {
    }

    /** Every item of one part, decided by {@code policy} (once: the views of a part are taken from this list). */
    static List<Decided> decide(ConfidencePolicy policy, String resource) throws Exception {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PolicyEvaluationTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            return decide(policy, in.lines().toList());
        }
    }

    /**
     * Every labelled item (JSON lines), decided by {@code policy}, in their order. Side by side on every core, as the
     * gateway's worker threads score requests (the policy is thread-safe): the sentence embedding is most of the time.
     */
    static List<Decided> decide(ConfidencePolicy policy, List<String> lines) {
        ObjectMapper mapper = new ObjectMapper();
        return lines.parallelStream().filter(line -> !line.isBlank()).map(line -> {
            try {
                return decide(policy, mapper.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static Decided decide(ConfidencePolicy policy, JsonNode item) {
        List<String> persona = new ArrayList<>();
        item.path("persona_constraints").forEach(p -> persona.add(p.asText()));
        String content = item.path("content").isTextual() ? item.path("content").asText() : null;
        EngagementRequest request = new EngagementRequest(item.path("action").asText(), item.path("platform").asText(),
                "eval_" + item.path("id").asText(), content, persona, null, null);
        String targetText = item.path("target_text").isTextual() ? item.path("target_text").asText() : null;
        Assessment a = policy.score(request, targetText);
        return new Decided(item.path("id").asText(), item.path("category").asText(), item.path("needs_human").asBoolean(),
                a.needsHuman() || a.confidence() <= AUTO_EXECUTE_ABOVE, a, content, targetText);
    }

    /** The counts, per-category recall, detectors and misses of the decided items whose id {@code ids} accepts. */
    static Result tally(List<Decided> decided, Predicate<String> ids) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        Map<String, int[]> byCategory = new TreeMap<>();
        Map<String, Integer> detectors = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        for (Decided d : decided) {
            if (!ids.test(d.id())) {
                continue;
            }
            int[] c = byCategory.computeIfAbsent(d.category(), x -> new int[2]);
            c[0]++;
            if (d.predicted() == d.expected()) {
                c[1]++;
            }
            for (Reason reason : d.assessment().reasons()) {
                if (reason.rule().startsWith("sensitive.") && d.category().equals(reason.rule().substring("sensitive.".length()))) {
                    String detector = reason.evidence().startsWith("the paraphrase model") ? "model"
                            : reason.evidence().startsWith("the lexicon") ? "lexicon" : "pattern/other";
                    detectors.merge(d.category() + " by " + detector, 1, Integer::sum);
                }
            }
            if (d.predicted() && d.expected()) {
                tp++;
            } else if (d.predicted()) {
                fp++;
                misses.add("false alarm " + d.id() + " (" + d.assessment().confidence() + ", " + d.assessment().summary() + "): "
                        + d.content());
            } else if (d.expected()) {
                fn++;
                misses.add("missed      " + d.id() + " [" + d.category() + "]: " + d.content()
                        + (d.targetText() == null ? "" : "  <- " + d.targetText()));
            } else {
                tn++;
            }
        }
        return new Result(tp, fp, fn, tn, byCategory, detectors, misses);
    }

    private static void print(String part, Result r) {
        System.out.printf(Locale.ROOT, "Policy evaluation, %s, %d labelled items: needs-a-human precision %.3f, recall %.3f "
                + "(tp %d, fp %d, fn %d, tn %d)%n", part, r.tp() + r.fp() + r.fn() + r.tn(), r.precision(), r.recall(),
                r.tp(), r.fp(), r.fn(), r.tn());
        System.out.printf(Locale.ROOT, "  %-12s %5s %8s   (none: share of benign items left to execute)%n", "category", "items", "recall");
        r.byCategory().forEach((category, c) -> System.out.printf(Locale.ROOT, "  %-12s %5d %8.3f%n", category, c[0], c[1] / (double) c[0]));
        System.out.println("  the category's own reason, by detector: " + r.detectors());
        r.misses().forEach(m -> System.out.println("  " + m));
    }
}
