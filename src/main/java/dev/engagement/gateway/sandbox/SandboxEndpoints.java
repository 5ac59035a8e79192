package dev.engagement.gateway.sandbox;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/** What the gateway's {@code /sandbox/...} endpoints ({@link SandboxLedger}, {@link SandboxFaults}) share. */
final class SandboxEndpoints {

    private SandboxEndpoints() {
    }

    /**
     * Refuses with NOT_FOUND when the gateway runs without the bundled sandbox.
     *
     * @param inProcess the in-process sandbox (or its server) the endpoint works on, null when it is disabled
     */
    static void requireEnabled(Object inProcess) {
        if (inProcess == null) {
            throw new EngagementFailure(ErrorCode.NOT_FOUND,
                    "The bundled sandbox is not running in this gateway (engagement.sandbox.enabled=false)");
        }
    }
}
