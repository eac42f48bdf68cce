package io.kook.hooks;

import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /hooks}: the last hook run (digest, revision range, each hook's status) and who leads. */
@RestController
@Tag(name = "hooks", description = "Change hooks run by the elected replica")
class HooksController {

    private final ChangeHooks hooks;

    HooksController(ChangeHooks hooks) {
        this.hooks = hooks;
    }

    @GetMapping(path = "/hooks", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The last hook run and whether this replica is the one running hooks",
            description = "configured: whether any hook is set up; leader: whether this replica runs them; lastRun: what"
                    + " the last run sent and how each hook answered",
            responses = @ApiResponse(responseCode = "200", description = "The hooks' state",
                    content = @Content(schema = @Schema(implementation = Map.class))))
    JsonNode hooks() throws Exception {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("configured", hooks.configured());
        result.put("leader", hooks.leader());
        result.set("lastRun", hooks.lastRun());
        return result;
    }
}
