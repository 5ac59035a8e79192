package dev.engagement.gateway.policy;

import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParaphraseModelTest {

    @Test
    void theShippedWeightsAreWhatTheDevelopmentPartTrains() throws Exception {
        ParaphraseModelTrainer trainer = new ParaphraseModelTrainer(new SentenceEmbeddings(), ParaphraseModelTrainer.shippedRules());
        List<ParaphraseClassifier.CategoryModel> trained = trainer.train(
                ParaphraseModelTrainer.read(Files.readAllLines(Path.of("src/test/resources/policy/evaluation-dev.jsonl"))));
        StringWriter written = new StringWriter();
        ParaphraseModelTrainer.write(trained, written, "");
        List<String[]> now = rows(written.toString());
        List<String[]> shipped = rows(Files.readString(Path.of("src/main/resources/policy/paraphrase-model.tsv")));
        assertEquals(shipped.size(), now.size(), "categories: retrain with ParaphraseModelTrainer after changing the labelled set");
        for (int i = 0; i < now.size(); i++) {
            assertEquals(shipped.get(i)[0], now.get(i)[0]);
            assertEquals(shipped.get(i)[1], now.get(i)[1], "the threshold of " + now.get(i)[0]);
            String[] a = shipped.get(i)[3].split(" ");
            String[] b = now.get(i)[3].split(" ");
            for (int d = 0; d < a.length; d++) {
                assertEquals(Double.parseDouble(a[d]), Double.parseDouble(b[d]), 1e-3, now.get(i)[0] + " weight " + d);
            }
        }
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
    void aParaphraseNoRuleKnowsIsHeldAndTheReasonNamesTheModelAndItsScore() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy();
        // no word of the lexicon and no pattern: only the model can see the threat
        String threat = "Your kids walk home alone, don't they?";
        assertTrue(ParaphraseModelTrainer.shippedRules().find(threat, false).isEmpty(), "the rules alone let it through");
        Assessment a = policy.score(new EngagementRequest("reply", "threads", "thread_1", threat, List.of(), null, null));
        assertTrue(a.needsHuman(), a.summary());
        Reason r = a.reasons().stream().filter(x -> x.rule().equals("sensitive.violence")).findFirst().orElseThrow(() -> new AssertionError(a.summary()));
        assertTrue(r.evidence().matches("the paraphrase model reads it as violence \\(p=0\\.\\d\\d\\)"), r.evidence());
    }

    @Test
    void aReplyOfEmojiAloneHasNoWordsForTheModelAndIsScoredAsUsual() throws Exception {
        Assessment a = PolicyFixture.policy().score(new EngagementRequest("reply", "twitter", "tweet_1", "\uD83D\uDE00".repeat(140),
                List.of(), null, null));
        assertTrue(a.reasons().stream().noneMatch(r -> r.rule().startsWith("sensitive.")), a.summary());
    }

    private static List<String[]> rows(String tsv) {
        List<String[]> out = new ArrayList<>();
        for (String line : tsv.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("\t"));
            }
        }
        return out;
    }
}
