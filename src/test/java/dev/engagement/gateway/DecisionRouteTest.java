package dev.engagement.gateway;

import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;

import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.support.RunningGateway;

/**
 * The decide route on its own (camel-test-main-junit5): the YAML route and the real policy, with
 * the three outcomes replaced by mocks, so only the routing is under test.
 */
class DecisionRouteTest extends CamelMainTestSupport {

    @Override
    public void configureContext(CamelContextConfiguration config) {
        super.configureContext(config);
        Properties overrides = new Properties();
        try {
            overrides.put("camel.server.port", String.valueOf(RunningGateway.freePort()));
            java.nio.file.Path data = Files.createTempDirectory("decide-route");
            overrides.put("engagement.data-dir", data.toString());
            overrides.putAll(dev.engagement.gateway.support.TestDatabase.overridesFor(data));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        config.withUseOverridePropertiesWithPropertiesComponent(overrides);
        config.withMockEndpointsAndSkip("direct:(execute|queue-for-review|refuse)");
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(GatewayConfiguration.class);
        configuration.withRoutesIncludePattern("file:routes/*.yaml");
    }

    private void decide(String action, String platform, String target, String content, Double confidence, List<String> persona) {
        EngagementRequest request = new EngagementRequest(action, platform, target, content, persona, null, confidence);
        template.sendBody("direct:decide", new Engagement("eng_route_test", request, EngagementState.RECEIVED, OffsetDateTime.now()));
    }

    private void expect(String outcome) throws Exception {
        for (String route : List.of("execute", "queue-for-review", "refuse")) {
            getMockEndpoint("mock:direct:" + route).expectedMessageCount(route.equals(outcome) ? 1 : 0);
        }
    }

    @Test
    void aFriendlyReplyIsExecutedAtOnce() throws Exception {
        expect("execute");
        decide("reply", "twitter", "tweet_1", "Thanks, glad it helped!", null, List.of("helpful"));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aStrategicFollowWaitsForAReviewer() throws Exception {
        expect("queue-for-review");
        decide("follow", "instagram", "user_collaborator", null, null, List.of("strategic"));
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void sensitiveContentWaitsEvenWhenTheAgentIsSure() throws Exception {
        expect("queue-for-review");
        decide("reply", "twitter", "tweet_1", "Our attorney will reach out about the settlement.", 1.0, List.of());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void anUnsureAgentIsRefused() throws Exception {
        expect("refuse");
        decide("like", "tiktok", "video_1", null, 0.4, List.of());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void theThresholdItselfWaits() throws Exception {
        // 0.90 is not above 0.90: the seed's band 0.70-0.90 is inclusive
        expect("queue-for-review");
        decide("like", "twitter", "tweet_1", null, 0.90, List.of());
        MockEndpoint.assertIsSatisfied(context);
    }
}
