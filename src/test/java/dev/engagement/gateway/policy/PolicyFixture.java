package dev.engagement.gateway.policy;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.Json;
import dev.engagement.gateway.contract.Vocabulary;
import dev.engagement.gateway.platform.PlatformCatalog;

/** The policy exactly as application.properties configures it, without starting a gateway. */
final class PolicyFixture {

    private PolicyFixture() {
    }

    static ConfidencePolicy policy() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        Settings settings = new Settings(context.getPropertiesComponent());
        return Policies.confidencePolicy(context, settings, new PlatformCatalog(settings, Vocabulary.fromContract(Json.newObjectMapper()),
                platform -> Optional.empty()));
    }

    /** The shipped policy with other detectors of sensitive content. */
    static ConfidencePolicy policy(SensitiveContent sensitive) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        Settings settings = new Settings(context.getPropertiesComponent());
        return Policies.confidencePolicy(context, settings, new PlatformCatalog(settings, Vocabulary.fromContract(Json.newObjectMapper()),
                platform -> Optional.empty()), sensitive);
    }

    static PersonaRules personaRules() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:application.properties");
        return Policies.personaRules(context, new Settings(context.getPropertiesComponent()));
    }
}
