package dev.engagement.gateway.policy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Reason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reply that warns a customer against the scam they were sent does not take the scam on. */
class WarningRepliesTest {

    private static final String PHISHING_POST = "Got a text from you saying my account is locked, verify at bit.ly/acc-fix. Is it legit?";

    private static Assessment reply(ConfidencePolicy policy, String content, String post) {
        return policy.score(new EngagementRequest("reply", "twitter", "tweet_1", content, List.of(), null, null), post);
    }

    @Test
    void aReplyThatWarnsAgainstThePhishingItAnswersIsPostedAndSaysWhy() throws Exception {
        // the rules alone: the model's own reading of the reply is another matter
        ConfidencePolicy policy = PolicyFixture.policy(ParaphraseModelTrainer.shippedRules());
        Assessment warned = reply(policy, "That's not from us. Please don't click it; forward it to 7726 and delete it.", PHISHING_POST);
        assertFalse(warned.needsHuman(), warned.summary());
        Reason shown = warned.reasons().stream().filter(r -> r.rule().equals("sensitive_target.phishing")).findFirst()
                .orElseThrow(() -> new AssertionError("the post's reading is still shown: " + warned.summary()));
        assertEquals(0.0, shown.penalty(), warned.summary());
        assertTrue(shown.evidence().endsWith("; not counted: the reply warns against it ('that's not from us')"), shown.evidence());

        // a cheerful reply under the same post spreads it: it waits
        Assessment cheerful = reply(policy, "Thanks for reaching out! Have a great day 😊", PHISHING_POST);
        assertTrue(cheerful.needsHuman(), cheerful.summary());
        assertTrue(cheerful.reasons().stream().anyMatch(r -> r.rule().equals("sensitive_target.phishing") && r.penalty() > 0),
                cheerful.summary());
    }

    @Test
    void aWarningDoesNotLiftWhatThePostSaysOutsideTheWarnedCategories() throws Exception {
        ConfidencePolicy policy = PolicyFixture.policy(ParaphraseModelTrainer.shippedRules());
        // a threat in the post is not a scam to warn against: "don't reply to it" still waits for a human
        Assessment threat = reply(policy, "Please don't reply to them, we're looking into it.", "I know where you live, see you tonight");
        assertTrue(threat.needsHuman(), threat.summary());
        assertTrue(threat.reasons().stream().anyMatch(r -> r.rule().equals("sensitive_target.violence") && r.penalty() > 0),
                threat.summary());
    }
}
