package io.kook;

import io.kook.zookeeper.EmbeddedZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.zookeeper.ZookeeperProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Logs one INFO line once the application is ready: where to reach it, which ZooKeeper it uses, and where the
 * bootstrap token's secret is (never the secret itself), so whoever started it knows what to do next.
 */
@Component
class ReadyLine implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ReadyLine.class);

    private final KookProperties properties;
    private final Environment environment;
    private final ObjectProvider<EmbeddedZooKeeper> embedded;
    private final ObjectProvider<ZookeeperProperties> zookeeper;

    ReadyLine(KookProperties properties, Environment environment, ObjectProvider<EmbeddedZooKeeper> embedded,
              ObjectProvider<ZookeeperProperties> zookeeper) {
        this.properties = properties;
        this.environment = environment;
        this.embedded = embedded;
        this.zookeeper = zookeeper;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)
                || web.getWebServer() == null || event.getApplicationContext().getParent() != null) {
            return;
        }
        log.info("Kook ready at {} (Swagger UI {}); ZooKeeper: {}; bootstrap token: {}",
                url(web.getWebServer().getPort()), environment.getProperty("springdoc.swagger-ui.path", "/swagger-ui.html"),
                zookeeper(), bootstrapToken());
    }

    private String url(int port) {
        boolean https = environment.getProperty("server.ssl.enabled", Boolean.class, true)
                && (environment.containsProperty("server.ssl.bundle")
                || environment.containsProperty("server.ssl.certificate")
                || environment.containsProperty("server.ssl.key-store"));
        String address = environment.getProperty("server.address");
        String host = address == null || address.isBlank() || address.equals("0.0.0.0") || address.equals("::")
                ? "localhost" : address.contains(":") ? "[" + address + "]" : address;
        String contextPath = environment.getProperty("server.servlet.context-path", "");
        return (https ? "https" : "http") + "://" + host + ":" + port + contextPath;
    }

    private String zookeeper() {
        String root = " (root " + properties.zookeeper().root() + ")";
        EmbeddedZooKeeper server = embedded.getIfAvailable();
        if (server != null) {
            return "embedded at " + server.connectString() + ", data in " + server.dataDir().toAbsolutePath().normalize() + root;
        }
        ZookeeperProperties connection = zookeeper.getIfAvailable();
        String ensemble = connection != null ? connection.getConnectString()
                : environment.getProperty("spring.cloud.zookeeper.connect-string");
        return "ensemble " + ensemble + root;
    }

    /** Where the secret is: a place to look, never the secret. */
    private String bootstrapToken() {
        KookProperties.Security security = properties.security();
        if (!security.enabled()) {
            return "none, security disabled (kook.security.enabled=false)";
        }
        if (security.bootstrapToken() != null && !security.bootstrapToken().isBlank()) {
            return "its secret is the one set in kook.security.bootstrap-token (env KOOK_SECURITY_BOOTSTRAP_TOKEN)";
        }
        java.nio.file.Path file = security.bootstrapTokenFile().toAbsolutePath().normalize();
        if (java.nio.file.Files.exists(file)) {
            return "its secret is in " + file;
        }
        return "not here: tokens existed already, and only the replica that creates the token writes " + file;
    }
}
