package io.kook.support;

import java.util.ArrayList;
import java.util.List;

import io.kook.KookApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A whole Kook replica started in-process, for tests that need several of them or need to restart one. */
public final class Replica implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Replica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static Replica start(String connectString, String root, String... extraProperties) {
        Replica replica = launch(connectString, root, extraProperties);
        Await.until(java.time.Duration.ofSeconds(30), "the replica to be ready",
                () -> replica.http().get("/actuator/health/readiness").status() == 200);
        return replica;
    }

    /** Starts a replica without waiting for readiness over plain HTTP (for one that serves HTTPS, say). */
    public static Replica launch(String connectString, String root, String... extraProperties) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.cloud.zookeeper.connect-string=" + connectString,
                "--kook.zookeeper.root=" + root,
                "--spring.main.banner-mode=off"));
        for (String property : extraProperties) {
            args.add("--" + property);
        }
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(KookApplication.class)
                .run(args.toArray(String[]::new));
        return new Replica(ctx);
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public Http http() {
        return new Http(port());
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
