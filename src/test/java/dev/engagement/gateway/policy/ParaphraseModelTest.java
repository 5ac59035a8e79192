package dev.engagement.gateway.policy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParaphraseModelTest {

    /**
     * The same set trains the same weights up to what the CPU changes: ONNX Runtime's int8 kernels differ between
     * processors (AVX2, AVX-512), so the embeddings, and the weights trained from them, differ in the third decimal
     * from one machine to another (weights at cosine 0.99996, biases within 0.002, thresholds the same). Training
     * without three of the set's items moves a category's weights to cosine 0.996 and its bias by 0.03: a stale
     * file fails here. A threshold may move one step (0.05) when a text sits on its edge.
     */
    @Test
    void theShippedWeightsAreWhatTheDevelopmentPartTrains() throws Exception {
        ParaphraseModelTrainer trainer = new ParaphraseModelTrainer(new SentenceEmbeddings(), ParaphraseModelTrainer.shippedRules());
        ParaphraseModelTrainer.Model model = trainer.train(
                ParaphraseModelTrainer.read(Files.readAllLines(Path.of("src/test/resources/policy/evaluation-dev.jsonl"))));
        List<ParaphraseClassifier.CategoryModel> trained = model.categories();
        List<ParaphraseClassifier.CategoryModel> shipped;
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/policy/paraphrase-model.tsv"))) {
            shipped = ParaphraseClassifier.load(in, "paraphrase-model.tsv", text -> new float[0]).models();
        }
        String retrain = ": retrain with ParaphraseModelTrainer after changing the labelled set or the rules";
        assertEquals(shipped.stream().map(ParaphraseClassifier.CategoryModel::name).toList(),
                trained.stream().map(ParaphraseClassifier.CategoryModel::name).toList(), "categories" + retrain);
        for (int i = 0; i < trained.size(); i++) {
            ParaphraseClassifier.CategoryModel now = trained.get(i);
            ParaphraseClassifier.CategoryModel was = shipped.get(i);
            assertEquals(was.threshold(), now.threshold(), 0.05 + 1e-9, "the threshold of " + now.name() + retrain);
            assertEquals(was.bias(), now.bias(), 0.01, "the bias of " + now.name() + retrain);
            double cosine = cosine(was.weights(), now.weights());
            assertTrue(cosine >= 0.9995, "the weights of " + now.name() + " are at cosine " + cosine + retrain);
        }
        ParaphraseNeighbours shippedNeighbours = shippedNeighbours();
        ParaphraseNeighbours now = model.neighbours();
        assertEquals(shippedNeighbours.size(), now.size(), "the labelled neighbours" + retrain);
        for (int i = 0; i < now.size(); i++) {
            assertEquals(shippedNeighbours.label(i), now.label(i), "labelled neighbour " + i + retrain);
        }
        assertEquals(shippedNeighbours.threshold(), now.threshold(), 0.02, "the neighbours' threshold" + retrain);
    }

    private static ParaphraseNeighbours shippedNeighbours() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/policy/paraphrase-neighbours.tsv"))) {
            return ParaphraseNeighbours.load(in, "paraphrase-neighbours.tsv");
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int d = 0; d < a.length; d++) {
            dot += a[d] * b[d];
            aa += a[d] * a[d];
            bb += b[d] * b[d];
        }
        return dot / Math.sqrt(aa * bb);
    }

    @Test
    void onlyTheActionsThatCarryTextPayForTheModel() throws Exception {
        AtomicInteger embedded = new AtomicInteger();
        SentenceEmbeddings real = new SentenceEmbeddings();
        Function<String, float[]> counting = text -> {
            embedded.incrementAndGet();
            return real.apply(text);
        };
        SensitiveContent sensitive;
        try (InputStream lex = getClass().getResourceAsStream("/policy/sensitive-lexicon.txt");
             InputStream pat = getClass().getResourceAsStream("/policy/sensitive-patterns.txt");
             InputStream weights = getClass().getResourceAsStream("/policy/paraphrase-model.tsv")) {
            sensitive = new SensitiveContent(SensitiveLexicon.load(lex, "lexicon"), SensitivePatterns.load(pat, "patterns"),
                    ParaphraseClassifier.load(weights, "weights", counting));
        }
        ConfidencePolicy policy = PolicyFixture.policy(sensitive);
        policy.score(new EngagementRequest("like", "twitter", "tweet_1", null, List.of(), null, null));
        policy.score(new EngagementRequest("follow", "twitter", "user_1", null, List.of(), null, null));
        policy.score(new EngagementRequest("share", "tiktok", "video_1", "Look at this!", List.of(), null, null));
        assertEquals(0, embedded.get(), "like, follow and share never reach the model");
        policy.score(new EngagementRequest("reply", "twitter", "tweet_1", "Thanks!", List.of(), null, null), "Great post");
        assertEquals(2, embedded.get(), "a reply's content is embedded, and the post it answers");
        policy.score(new EngagementRequest("reply", "twitter", "tweet_1", "Love it", List.of(), null, null), "Great post");
        assertEquals(3, embedded.get(), "the post a second reply answers is not embedded again");
        policy.score(new EngagementRequest("comment", "twitter", "tweet_2", "Nice one", List.of(), null, null));
        assertEquals(4, embedded.get(), "a comment on nothing known is embedded alone");
    }

    @Test
    void aHarmlessReplyToAPostOfHateIsHeldOnTheModelsReadingOfBoth() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy();
        String hate = "Immigrants are ruining this country, send every last one of them back";
        String reply = "So true, couldn't agree more!";
        Assessment alone = policy.score(new EngagementRequest("reply", "twitter", "tweet_1", reply, List.of(), null, null));
        assertTrue(!alone.needsHuman(), "on its own the reply is fine: " + alone.summary());
        Assessment answering = policy.score(new EngagementRequest("reply", "twitter", "tweet_1", reply, List.of(), null, null), hate);
        assertTrue(answering.needsHuman(), answering.summary());
        assertTrue(answering.reasons().stream().anyMatch(r -> r.rule().startsWith("sensitive.")
                && r.evidence().startsWith("the paraphrase model reads it, with the post it answers,")), answering.summary());
    }

    @Test
    void sentimentTheModelDoesNotBackHoldsNothingAloneWhereTheModelReadsTheText() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy();
        // VADER reads the post as negative ("criminal"); the model, reading the reply with it, sees a joke about a sale
        EngagementRequest joke = new EngagementRequest("reply", "twitter", "tweet_1",
                "No crimes were committed, just a very good sale \uD83D\uDE05", List.of(), null, null);
        String post = "your prices are criminal";
        Assessment read = policy.score(joke, post);
        assertFalse(read.needsHuman(), read.summary());
        assertEquals(0.95, read.confidence(), 1e-9, "posted at once: " + read.summary());
        Reason vader = read.reasons().stream().filter(r -> r.rule().equals("sentiment.target_negative")).findFirst()
                .orElseThrow(() -> new AssertionError("the reading is still shown: " + read.summary()));
        assertEquals(0.0, vader.penalty(), read.summary());
        assertTrue(vader.evidence().matches(".*; not counted alone: the paraphrase model reads harmful_context at p=0\\.\\d\\d "
                + "\\(under 0\\.35\\) and nothing that needs a human"), vader.evidence());

        // the rules alone (no model to ask): VADER's reading holds it, as crisis handling
        Assessment rulesAlone = PolicyFixture.policy(ParaphraseModelTrainer.shippedRules()).score(joke, post);
        assertTrue(rulesAlone.needsHuman(), rulesAlone.summary());

        // where the model agrees, even far under its own threshold, the reading counts
        Assessment regret = policy.score(new EngagementRequest("reply", "twitter", "tweet_1",
                "Honestly this release was a disappointing mess and we regret it.", List.of(), null, null),
                "The export feature is great, thank you so much for shipping it!");
        assertTrue(regret.needsHuman(), regret.summary());
        assertTrue(regret.reasons().stream().anyMatch(r -> r.rule().equals("sentiment.content") && r.penalty() > 0
                && r.evidence().contains("; the paraphrase model agrees (negative_tone p=")), regret.summary());
    }

    @Test
    void aParaphraseNoRuleKnowsIsHeldAndTheReasonNamesTheModelAndItsScore() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy();
        // no word of the lexicon and no pattern: only the model can see the threat. (The example before, "Your kids
        // walk home alone, don't they?", sits at the edge of the model over e5-small-v2: abuse 0.75, violence 0.69;
        // one sentence is an example, what the model catches in general is PolicyEvaluationTest's to say)
        String threat = "You should be careful driving home late at night, accidents happen.";
        assertTrue(ParaphraseModelTrainer.shippedRules().find(threat, false).isEmpty(), "the rules alone let it through");
        Assessment a = policy.score(new EngagementRequest("reply", "threads", "thread_1", threat, List.of(), null, null));
        assertTrue(a.needsHuman(), a.summary());
        Reason r = a.reasons().stream().filter(x -> x.rule().equals("sensitive.violence")).findFirst().orElseThrow(() -> new AssertionError(a.summary()));
        assertTrue(r.evidence().matches("the paraphrase model reads it as violence \\(p=0\\.\\d\\d\\); "
                + "the model's readings cost at most 0\\.15 together"), r.evidence());
        // a reading, not a match: violence and abuse cost 0.35 each when a rule finds them, the model's readings
        // 0.15 together, so the reply (0.95) waits for a reviewer instead of being refused
        double byTheModel = a.reasons().stream().filter(x -> x.evidence().startsWith("the paraphrase model"))
                .mapToDouble(Reason::penalty).sum();
        assertEquals(0.15, byTheModel, 1e-9, a.summary());
        assertEquals(0.80, a.confidence(), 1e-9, "held for review, not refused: " + a.summary());
    }

    @Test
    void aPutDownNoRegressionReadsIsHeldByTheLabelledTextsNearestToItWhichNameIt() throws Exception {
        // not a labelled text; no rule and no regression (not even the reading of any category) reads it
        String putDown = "did your little brother edit this video?";
        assertTrue(ParaphraseModelTrainer.shippedRules().find(putDown, false).isEmpty(), "the rules alone let it through");
        ParaphraseClassifier regressions;
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/policy/paraphrase-model.tsv"))) {
            regressions = ParaphraseClassifier.load(in, "paraphrase-model.tsv", new SentenceEmbeddings());
        }
        assertEquals(List.of(), ParaphraseModelTrainer.shippedRules(regressions).find(putDown, true));
        // as shipped, the labelled texts nearest to it are put-downs: the reviewer is told which category
        Assessment a = PolicyFixture.policy().score(new EngagementRequest("reply", "threads", "thread_1", putDown, List.of(), null, null));
        assertTrue(a.needsHuman(), a.summary());
        List<Reason> readings = a.reasons().stream().filter(x -> x.rule().startsWith("sensitive.")).toList();
        assertEquals(List.of("sensitive.abuse"), readings.stream().map(Reason::rule).toList(), a.summary());
        assertTrue(readings.get(0).evidence().startsWith("the labelled texts nearest to it need a human, most of them abuse"), a.summary());
    }

    @Test
    void theReadingOfAnyCategoryIsReportedOnlyWhenNoCategoryOfItsOwnIs() throws Exception {
        // two one-feature models over a two-number "embedding": abuse reads the first number, any the second
        float[] abuseWeights = new float[ParaphraseClassifier.DIMENSIONS];
        abuseWeights[0] = 10;
        float[] anyWeights = new float[ParaphraseClassifier.DIMENSIONS];
        anyWeights[1] = 10;
        ParaphraseClassifier model = new ParaphraseClassifier(text -> {
            float[] v = new float[ParaphraseClassifier.DIMENSIONS];
            v[0] = text.contains("abuse") ? 1 : -1;
            v[1] = text.contains("sensitive") ? 1 : -1;
            return v;
        }, List.of(new ParaphraseClassifier.CategoryModel("abuse", 0.6, 0, abuseWeights),
                new ParaphraseClassifier.CategoryModel(ParaphraseClassifier.ANY, 0.6, 0, anyWeights)));
        assertEquals(List.of("abuse"), model.classify("abuse, sensitive").stream().map(ParaphraseClassifier.Verdict::category).toList());
        assertEquals(List.of(ParaphraseClassifier.ANY), model.classify("sensitive").stream().map(ParaphraseClassifier.Verdict::category).toList());
        assertEquals(List.of(), model.classify("ordinary"));
        // the reviewer reads that no one category was read
        List<SensitiveContent.Finding> found = ParaphraseModelTrainer.shippedRules(model).find("sensitive", true);
        assertEquals(List.of(ParaphraseClassifier.ANY), found.stream().map(SensitiveContent.Finding::category).toList());
        assertEquals("the paraphrase model reads it as like the texts that need a human, of no one category (p=1.00)",
                found.get(0).evidence());
    }

    @Test
    void theShippedNeighboursReadAParaphraseOfTheirLabelledTextsAndLeaveOrdinaryRepliesAlone() throws Exception {
        // the neighbours alone, without the regressions
        ParaphraseClassifier alone = new ParaphraseClassifier(new SentenceEmbeddings(), List.of(), shippedNeighbours());
        SensitiveContent detectors = ParaphraseModelTrainer.shippedRules(alone);
        String scam = "send 50 by venmo and we'll ship you a mystery box of our overstock";
        assertTrue(ParaphraseModelTrainer.shippedRules().find(scam, false).isEmpty(), "the rules alone let it through");
        List<SensitiveContent.Finding> found = detectors.find(scam, true);
        assertEquals(List.of("scam"), found.stream().map(SensitiveContent.Finding::category).toList(), found.toString());
        assertTrue(found.get(0).evidence().matches(
                "the labelled texts nearest to it need a human, most of them scam \\(0\\.\\d\\d of the nearest ones' vote\\)"),
                found.get(0).evidence());
        for (String ordinary : List.of("So true, couldn't agree more!", "Thanks for the feedback!", "Sorry to hear that, we are on it.",
                "Great question! We're planning to release that feature next month. Stay tuned! 🚀", "Love this, thanks for sharing!")) {
            assertEquals(List.of(), detectors.find(ordinary, true), ordinary);
        }
    }

    @Test
    void theNeighboursAreReadOnlyWhenNoRegressionReadsACategory() {
        float[] abuseWeights = new float[ParaphraseClassifier.DIMENSIONS];
        abuseWeights[0] = 10;
        float[] scam = new float[ParaphraseClassifier.DIMENSIONS];
        scam[1] = 1;
        float[] ordinary = new float[ParaphraseClassifier.DIMENSIONS];
        ordinary[2] = 1;
        ParaphraseClassifier model = new ParaphraseClassifier(text -> {
            float[] v = new float[ParaphraseClassifier.DIMENSIONS];
            v[0] = text.contains("abuse") ? 1 : -1;
            v[1] = text.contains("scam") ? 1 : 0;
            v[2] = text.contains("scam") ? 0 : 1;
            return v;
        }, List.of(new ParaphraseClassifier.CategoryModel("abuse", 0.6, 0, abuseWeights)),
                new ParaphraseNeighbours(1, 20, 0.5, new float[][] {scam, ordinary}, new String[] {"scam", "-"}));
        assertEquals(List.of("abuse"), model.classify("abuse and scam").stream().map(ParaphraseClassifier.Verdict::category).toList());
        ParaphraseClassifier.Verdict v = model.classify("a scam").get(0);
        assertEquals("scam", v.category());
        assertTrue(v.byNeighbours());
        assertEquals(List.of(), model.classify("ordinary"));
    }

    @Test
    void aReplyOfEmojiAloneHasNoWordsForTheModelAndIsScoredAsUsual() throws Exception {
        Assessment a = PolicyFixture.policy().score(new EngagementRequest("reply", "twitter", "tweet_1", "\uD83D\uDE00".repeat(140),
                List.of(), null, null));
        assertTrue(a.reasons().stream().noneMatch(r -> r.rule().startsWith("sensitive.")), a.summary());
    }
}
