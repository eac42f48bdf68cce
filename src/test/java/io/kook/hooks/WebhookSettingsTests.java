package io.kook.hooks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.kook.KookProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signing rule of webhooks, as configuration binds it: a secret, or an explicit {@code unsigned: true}. */
class WebhookSettingsTests {

    private HttpServer receiver;
    private final List<String> signatures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
            signatures.add(signature == null ? "none" : signature);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private KookProperties.Hooks bind(String... webhook) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "kook.hooks.webhooks[0].name", "dns",
                "kook.hooks.webhooks[0].url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
        for (String setting : webhook) {
            String[] kv = setting.split("=", 2);
            properties.put("kook.hooks.webhooks[0]." + kv[0], kv[1]);
        }
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("kook", KookProperties.class).hooks();
    }

    @Test
    void aWebhookWithoutASecretIsRefusedAtStartupSayingWhatToSet() {
        assertThatThrownBy(this::bind).isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("webhook 'dns' has no secret").hasMessageContaining("unsigned: true");
        assertThatThrownBy(() -> bind("secret=  ")).isInstanceOf(BindException.class);
    }

    @Test
    void aWebhookWithBothASecretAndUnsignedIsRefusedAsAmbiguous() {
        assertThatThrownBy(() -> bind("secret=s3cret", "unsigned=true")).isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("both a secret and unsigned: true");
    }

    @Test
    void aWebhookMarkedUnsignedIsPostedWithoutASignature() {
        KookProperties.Hooks hooks = bind("unsigned=true");
        List<HookRunner.Result> results = new HookRunner(hooks).run("{\"digest\":\"d\"}", Map.of(), Set.of());
        assertThat(results).extracting(HookRunner.Result::status).containsExactly("ok");
        assertThat(signatures).containsExactly("none");
    }

    @Test
    void aSignedWebhookCarriesTheSignatureOfItsBody() {
        KookProperties.Hooks hooks = bind("secret=s3cret");
        new HookRunner(hooks).run("{\"digest\":\"d\"}", Map.of(), Set.of());
        // computed independently: printf '%s' '{"digest":"d"}' | openssl dgst -sha256 -hmac s3cret
        assertThat(signatures).containsExactly("sha256=eb9f308749e12599c667417ef6134987d641f937e9de1f9bf476cc77ff8fd880");
    }

    @Test
    void theSecretIsNeverInTheSettingsStringForm() {
        KookProperties.Hooks hooks = bind("secret=s3cret-value");
        assertThat(hooks.toString()).doesNotContain("s3cret-value");
        assertThat(hooks.webhooks().get(0).toString()).doesNotContain("s3cret-value").contains("signed=true");
    }
}
