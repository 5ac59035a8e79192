package dev.engagement.gateway.policy;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How the whole policy (rules, sentiment and a paraphrase model) meets text its model was not trained on, measured
 * on the development part alone: 5 folds (item i in fold i % 5), the model trained by {@link ParaphraseModelTrainer}
 * on four of them and the policy as shipped, with that model, run on the fifth. The rules were written from the
 * development part, so the figures to read are those of the items no rule was written from (ids starting with
 * the given prefix: the newest round, before its rules are tuned; round 5's were tuned on 2026-12-04, so its
 * figures since flatter the rules, and a new round's items are the ones to read). Each setting of the trainer's
 * {@code maxFalseAlarmRate} is one run; the held-out part is never read. A third argument names a file that
 * gets, per item, its reasons, every category's probability and the labelled neighbours' vote out of fold (JSON
 * lines): a decision rule can be studied offline from it without training again. From the project's root:
 * <pre>
 * java -cp target/test-classes:target/engagement-gateway.jar dev.engagement.gateway.policy.PolicyCrossValidation 0.005,0.01 r5
 * </pre>
 */
public final class PolicyCrossValidation {

    private static final int FOLDS = 5;

    private PolicyCrossValidation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: PolicyCrossValidation <maxFalseAlarmRate,...> <id prefix of the items no rule was written from> [dump.jsonl]");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/policy/evaluation-dev.jsonl")).stream()
                .filter(l -> !l.isBlank()).toList();
        SentenceEmbeddings model = new SentenceEmbeddings();
        Map<String, float[]> embedded = new ConcurrentHashMap<>();
        Function<String, float[]> embeddings = text -> embedded.computeIfAbsent(text, model);
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        PrintWriter dump = args.length == 3 ? new PrintWriter(Files.newBufferedWriter(Path.of(args[2]))) : null;
        for (String rate : args[0].split(",")) {
            List<PolicyEvaluationTest.Decided> decided = new ArrayList<>();
            for (int fold = 0; fold < FOLDS; fold++) {
                List<String> train = new ArrayList<>();
                List<String> test = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    (i % FOLDS == fold ? test : train).add(lines.get(i));
                }
                ParaphraseModelTrainer.Model trained = new ParaphraseModelTrainer(embeddings, rules, Double.parseDouble(rate))
                        .train(ParaphraseModelTrainer.read(train), line -> { });
                ParaphraseClassifier classifier = trained.classifier(embeddings);
                List<PolicyEvaluationTest.Decided> foldDecided = PolicyEvaluationTest.decide(
                        PolicyFixture.policy(ParaphraseModelTrainer.shippedRules(classifier)), test);
                decided.addAll(foldDecided);
                if (dump != null) {
                    dump(dump, foldDecided, test, classifier, trained.neighbours(), rules);
                }
                System.err.printf(Locale.ROOT, "rate %s: fold %d of %d decided%n", rate, fold + 1, FOLDS);
            }
            print(rate, "every development item", PolicyEvaluationTest.tally(decided, id -> true));
            PolicyEvaluationTest.Result r = PolicyEvaluationTest.tally(decided, id -> id.startsWith(args[1]));
            print(rate, "items starting " + args[1], r);
            r.byCategory().forEach((category, c) -> System.out.printf(Locale.ROOT, "  %-16s %5d %8.3f%n", category, c[0], c[1] / (double) c[0]));
        }
        if (dump != null) {
            dump.close();
        }
    }

    /** Each item's reasons, every category's out-of-fold probability and the neighbours' vote, a JSON line each. */
    private static void dump(PrintWriter out, List<PolicyEvaluationTest.Decided> decided, List<String> lines,
                             ParaphraseClassifier classifier, ParaphraseNeighbours neighbours, SensitiveContent rules)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < decided.size(); i++) {
            PolicyEvaluationTest.Decided d = decided.get(i);
            JsonNode item = mapper.readTree(lines.get(i));
            ObjectNode o = mapper.createObjectNode();
            o.put("id", d.id()).put("category", d.category()).put("expected", d.expected()).put("predicted", d.predicted())
                    .put("action", item.path("action").asText()).put("confidence", d.assessment().confidence());
            ArrayNode reasons = o.putArray("reasons");
            d.assessment().reasons().forEach(r -> reasons.addObject().put("rule", r.rule()).put("penalty", r.penalty())
                    .put("evidence", r.evidence()));
            String text = d.content() == null ? "" : rules.modelText(d.content());
            if (!text.isBlank()) {
                float[] x = classifier.featuresOf(text, d.targetText() == null ? null : rules.modelText(d.targetText()));
                ObjectNode probs = o.putObject("probs");
                ObjectNode thresholds = o.putObject("thresholds");
                for (ParaphraseClassifier.CategoryModel m : classifier.models()) {
                    probs.put(m.name(), Math.round(m.probability(x) * 1000) / 1000.0);
                    thresholds.put(m.name(), m.threshold());
                }
                if (neighbours != null) {
                    ParaphraseNeighbours.Reading r = neighbours.score(x, -1);
                    o.put("neighbours", Math.round(r.score() * 1000) / 1000.0).put("neighboursCategory", r.category())
                            .put("neighboursThreshold", neighbours.threshold());
                }
            }
            o.put("content", d.content()).put("target", d.targetText());
            out.println(mapper.writeValueAsString(o));
        }
    }

    private static void print(String rate, String items, PolicyEvaluationTest.Result r) {
        System.out.printf(Locale.ROOT, "maxFalseAlarmRate %s, %s: precision %.3f, recall %.3f (tp %d, fp %d, fn %d, tn %d)%n", rate, items,
                r.precision(), r.recall(), r.tp(), r.fp(), r.fn(), r.tn());
    }
}
