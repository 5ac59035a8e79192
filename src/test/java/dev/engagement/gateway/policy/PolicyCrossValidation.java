package dev.engagement.gateway.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * How the whole policy (rules, sentiment and a paraphrase model) meets text its model was not trained on, measured
 * on the development part alone: 5 folds (item i in fold i % 5), the model trained by {@link ParaphraseModelTrainer}
 * on four of them and the policy as shipped, with that model, run on the fifth. The rules were written from the
 * development part, so the figures to read are those of the items no rule was written from (ids starting with
 * the given prefix: the newest round, before its rules are tuned). Each setting of the trainer's
 * {@code maxFalseAlarmRate} is one run; the held-out part is never read. From the project's root:
 * <pre>
 * java -cp target/test-classes:target/engagement-gateway.jar dev.engagement.gateway.policy.PolicyCrossValidation 0.005,0.01 r5
 * </pre>
 */
public final class PolicyCrossValidation {

    private static final int FOLDS = 5;

    private PolicyCrossValidation() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PolicyCrossValidation <maxFalseAlarmRate,...> <id prefix of the items no rule was written from>");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/policy/evaluation-dev.jsonl")).stream()
                .filter(l -> !l.isBlank()).toList();
        SentenceEmbeddings model = new SentenceEmbeddings();
        Map<String, float[]> embedded = new ConcurrentHashMap<>();
        Function<String, float[]> embeddings = text -> embedded.computeIfAbsent(text, model);
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        for (String rate : args[0].split(",")) {
            List<PolicyEvaluationTest.Decided> decided = new ArrayList<>();
            for (int fold = 0; fold < FOLDS; fold++) {
                List<String> train = new ArrayList<>();
                List<String> test = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    (i % FOLDS == fold ? test : train).add(lines.get(i));
                }
                List<ParaphraseClassifier.CategoryModel> models = new ParaphraseModelTrainer(embeddings, rules, Double.parseDouble(rate))
                        .train(ParaphraseModelTrainer.read(train), line -> { });
                decided.addAll(PolicyEvaluationTest.decide(PolicyFixture.policy(ParaphraseModelTrainer.shippedRules(new ParaphraseClassifier(embeddings, models))), test));
                System.err.printf(Locale.ROOT, "rate %s: fold %d of %d decided%n", rate, fold + 1, FOLDS);
            }
            print(rate, "every development item", PolicyEvaluationTest.tally(decided, id -> true));
            print(rate, "items starting " + args[1] + " (no rule written from them)", PolicyEvaluationTest.tally(decided, id -> id.startsWith(args[1])));
        }
    }

    private static void print(String rate, String items, PolicyEvaluationTest.Result r) {
        System.out.printf(Locale.ROOT, "maxFalseAlarmRate %s, %s: precision %.3f, recall %.3f (tp %d, fp %d, fn %d, tn %d)%n", rate, items,
                r.precision(), r.recall(), r.tp(), r.fp(), r.fn(), r.tn());
    }
}
