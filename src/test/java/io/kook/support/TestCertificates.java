package io.kook.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and the PKCS12 stores a TLS test needs, made by the running JDK's
 * {@code keytool} (no extra dependency, nothing checked in that could expire). Every certificate it issues is
 * valid for {@code localhost} and {@code 127.0.0.1}, for two days, for both server and client authentication.
 *
 * <pre>
 * TestCertificates certs = TestCertificates.create(tempDir);
 * Path server = certs.issue("server");      // key store: the key and its chain, alias "server"
 * Path trust = certs.trustStore();          // trust store: the CA certificate only
 * </pre>
 *
 * @param dir        where the stores are written
 * @param password   the password of every store and key
 * @param trustStore a PKCS12 trust store holding the CA certificate
 * @param caPem      the CA certificate, PEM
 */
public record TestCertificates(Path dir, String password, Path trustStore, Path caPem) {

    private static final String PASSWORD = "test-store-secret";
    private static final String CA_STORE = "ca.p12";

    /** Creates the CA (and its trust store) in {@code dir}. */
    public static TestCertificates create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path caStore = dir.resolve(CA_STORE);
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Kook Test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path caPem = dir.resolve("ca.pem");
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
                "-file", caPem.toString());
        Path trustStore = dir.resolve("truststore.p12");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore",
                trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return new TestCertificates(dir, PASSWORD, trustStore, caPem);
    }

    /** A PKCS12 key store {@code <name>.p12} with a key signed by the CA, under alias {@code name}. */
    public Path issue(String name) throws IOException {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password,
                "-keypass", password);
        keytool(dir, "-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", password, "-file",
                csr.toString());
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", dir.resolve(CA_STORE).toString(), "-storepass",
                password, "-infile", csr.toString(), "-outfile", cert.toString(), "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth,clientAuth",
                "-ext", "KU=digitalSignature,keyAgreement");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString(),
                "-storepass", password);
        keytool(dir, "-importcert", "-noprompt", "-alias", name, "-file", cert.toString(), "-keystore", store.toString(),
                "-storepass", password);
        return store;
    }

    /** A client context that trusts this CA and nothing else. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
