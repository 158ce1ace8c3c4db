package dev.apikeys.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * deploy/gateway.conf sends reads, verification and the processors to the query side, every other
 * write to the command side.
 */
class GatewayRoutesTest {

    private final GatewayRoutes routes = GatewayRoutes.read();

    @ParameterizedTest
    @CsvSource({
            "GET, /api/v1/me/apikeys, query_side",
            "HEAD, /api/v1/me/apikeys, query_side",
            "GET, /api/v1/me/apikeys/6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6b/history, query_side",
            "GET, /actuator/health, query_side",
            "POST, /api/v1/apikeys/verify, query_side",
            "GET, /actuator/projections, query_side",
            "POST, /actuator/projections/apikey-read-model/replay, query_side",
            "POST, /api/v1/me/apikeys, command_side",
            "PUT, /api/v1/me/apikeys/6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6b, command_side",
            "PATCH, /api/v1/me/apikeys/6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6b, command_side",
            "DELETE, /api/v1/me/apikeys/6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6b, command_side",
            "POST, /api/v1/me/apikeys/6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6b/rotate, command_side",
            "POST, /api/v1/apikeys/verify/more, command_side",
    })
    void routesAsTheDeploymentDoes(String method, String path, String upstream) {
        assertThat(routes.upstream(method, path)).isEqualTo(upstream);
    }
}
