package dev.engagement.gateway.connector;

import dev.engagement.gateway.mcpserver.ToolError;

/** How one platform's API says no: reads a non-2xx answer (or an error inside a 2xx) as a {@link ToolError}. */
public interface ApiErrors {

    /** The refusal or failure this answer is; {@code what} says what was asked ("reply to tweet 123"). */
    ToolError read(ApiResponse response, String what);
}
