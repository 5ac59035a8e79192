package dev.engagement.gateway.policy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Assessment;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.engagement.Reason;
import dev.engagement.gateway.engagement.Routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decide route's thresholds and rules per platform and action, from application.properties and overrides. */
class DecisionRulesTest {

    private static final List<String> PLATFORMS = List.of("twitter", "instagram", "tiktok", "threads");
    private static final List<String> ACTIONS = List.of("reply", "comment", "like", "follow", "share");

    private static DecisionRules rules(Map<String, String> overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        Properties p = new Properties();
        p.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(p);
        return new DecisionRules(new Settings(context.getPropertiesComponent()), PLATFORMS, ACTIONS);
    }

    private static Engagement decided(DecisionRules rules, String platform, String action) {
        Engagement e = new Engagement("eng_rules", new EngagementRequest(action, platform, "t_1", "hi", List.of(), null, null),
                EngagementState.RECEIVED, OffsetDateTime.now());
        e.setAssessment(new Assessment(0.95, 0.95, false, List.of(new Reason("base." + action, 0.05, "base"))));
        return rules.apply(e);
    }

    @Test
    void theSharedThresholdsApplyWhereNothingMoreSpecificIsSet() {
        Routing r = decided(rules(Map.of()), "twitter", "reply").getRouting();
        assertEquals(0.90, r.autoExecuteAbove(), 1e-9);
        assertEquals(0.70, r.reviewAtOrAbove(), 1e-9);
        assertFalse(r.alwaysReview());
        assertFalse(r.never());
    }

    @Test
    void theMostSpecificThresholdWinsAndIsAReason() {
        DecisionRules rules = rules(Map.of(
                "engagement.policy.thresholds.threads.auto-execute-above", "0.92",
                "engagement.policy.thresholds.reply.auto-execute-above", "0.93",
                "engagement.policy.thresholds.threads.reply.auto-execute-above", "0.95"));
        Engagement threadsReply = decided(rules, "threads", "reply");
        assertEquals(0.95, threadsReply.getRouting().autoExecuteAbove(), 1e-9);
        assertTrue(threadsReply.getAssessment().reasons().stream().anyMatch(r -> r.evidence().contains(
                "engagement.policy.thresholds.threads.reply.auto-execute-above")), threadsReply.getAssessment().toString());
        assertEquals(0.92, decided(rules, "threads", "like").getRouting().autoExecuteAbove(), 1e-9);
        assertEquals(0.93, decided(rules, "twitter", "reply").getRouting().autoExecuteAbove(), 1e-9);
        assertEquals(0.90, decided(rules, "twitter", "like").getRouting().autoExecuteAbove(), 1e-9);
    }

    @Test
    void alwaysReviewAndNeverRulesMatchPairsPlatformsAndActions() {
        DecisionRules rules = rules(Map.of("engagement.policy.always-review", "tiktok.follow, share",
                "engagement.policy.never", "instagram"));
        Engagement follow = decided(rules, "tiktok", "follow");
        assertTrue(follow.getRouting().alwaysReview());
        assertTrue(follow.isHumanRequired());
        assertTrue(follow.getAssessment().reasons().stream().anyMatch(r -> r.rule().equals("rule.always_review")));
        assertTrue(decided(rules, "twitter", "share").getRouting().alwaysReview());
        assertFalse(decided(rules, "twitter", "follow").getRouting().alwaysReview());
        Engagement ig = decided(rules, "instagram", "like");
        assertTrue(ig.getRouting().never());
        assertTrue(ig.getAssessment().reasons().stream().anyMatch(r -> r.rule().equals("rule.never")));
    }

    @Test
    void rulesThatCannotHoldAreRefusedAtStart() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> rules(Map.of("engagement.policy.always-review", "tiktok.dance")));
        assertTrue(unknown.getMessage().contains("tiktok.dance"), unknown.getMessage());
        IllegalArgumentException crossed = assertThrows(IllegalArgumentException.class,
                () -> rules(Map.of("engagement.policy.thresholds.threads.review-at-or-above", "0.95")));
        assertTrue(crossed.getMessage().contains("threads"), crossed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rules(Map.of("engagement.policy.thresholds.like.auto-execute-above", "1.5")));
    }
}
