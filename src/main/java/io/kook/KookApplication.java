package io.kook;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Kook: an infrastructure inventory kept in ZooKeeper and served from an in-memory mirror. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KookApplication {

    public static void main(String[] args) {
        SpringApplication.run(KookApplication.class, args);
    }
}
