package io.kook;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Kook: an infrastructure inventory kept in ZooKeeper and served from an in-memory mirror. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KookApplication {

    /** {@code java -jar kook.jar} runs the service; {@code java -jar kook.jar agent --config f} the agent. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("agent")) {
            io.kook.agent.Agent.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(KookApplication.class, args);
    }
}
