package dev.engagement.gateway.sandbox;

import java.util.List;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.Violation;

/** {@code GET /sandbox/actions?platform=P}: what the bundled sandbox platforms executed. */
public class SandboxLedger {

    private final Sandbox sandbox;

    /** @param sandbox the in-process sandbox, or null when it is disabled */
    public SandboxLedger(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public List<SandboxPlatform.LedgerEntry> actions(String platform) {
        SandboxEndpoints.requireEnabled(sandbox);
        if (platform == null || platform.isBlank()) {
            return sandbox.ledger(null);
        }
        if (!sandbox.platformNames().contains(platform)) {
            throw EngagementFailure.validation(List.of(new Violation("/platform",
                    "unknown platform '" + platform + "'; known: " + String.join(", ", sandbox.platformNames()))));
        }
        return sandbox.ledger(platform);
    }
}
