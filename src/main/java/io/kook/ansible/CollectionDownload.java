package io.kook.ansible;

import java.util.List;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /ansible/kook-kook.tar.gz}: the Ansible collection {@code kook.kook} (inventory plugin and modules) as
 * the artifact {@code ansible-galaxy collection install} takes. The build writes it into the static resources
 * ({@code src/build/java/CollectionTarball.java} at {@code process-classes}), Spring serves it as it serves the
 * inventory script, and {@code AccessRules.OPEN} lets it out without a token. This class only documents it.
 */
@Configuration(proxyBeanMethods = false)
class CollectionDownload {

    static final String PATH = "/ansible/kook-kook.tar.gz";

    @Bean
    OpenApiCustomizer kookCollectionDownload() {
        return api -> api.path(PATH, new PathItem().get(new Operation()
                .tags(List.of("ansible"))
                .summary("The Ansible collection kook.kook, for `ansible-galaxy collection install` (open, no token)")
                .description("The inventory plugin kook.kook.inventory and the modules kook.kook.host, kook.kook.group"
                        + " and kook.kook.registration, in the galaxy artifact format (MANIFEST.json, FILES.json)."
                        + " The same sources always give the same bytes.")
                .operationId("collection")
                .security(List.of())
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse()
                        .description("The collection artifact")
                        .addHeaderObject("Last-Modified", new Header().schema(new StringSchema()))
                        .content(new Content().addMediaType("application/x-gzip",
                                new MediaType().schema(new BinarySchema())))))));
    }
}
