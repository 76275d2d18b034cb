package ar.connector.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The real SMTP server (GreenMail) behind every {@link ConnectorTest} context of this JVM, on one
 * fixed port for the JVM's life, so a test can take it down and bring it back where the connector
 * expects it. Tests tell their messages apart by recipient (each test uses addresses of its own).
 */
public final class TestMail {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = freePort();
    private static GreenMail server = start();

    private TestMail() {
    }

    /** Brings the server back on the same port (after {@link #stop}); it starts with an empty mailbox. */
    public static synchronized GreenMail start() {
        GreenMail started = new GreenMail(new ServerSetup(PORT, HOST, ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        started.start();
        server = started;
        return started;
    }

    /** Takes the SMTP server down: connections to its port are refused until {@link #start}. */
    public static synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Messages received (since the server last started) with this recipient. */
    public static synchronized List<MimeMessage> to(String address) {
        if (server == null) {
            return List.of();
        }
        return Arrays.stream(server.getReceivedMessages()).filter(m -> addressedTo(m, address)).toList();
    }

    private static boolean addressedTo(MimeMessage message, String address) {
        try {
            Address[] recipients = message.getAllRecipients();
            return recipients != null && Arrays.stream(recipients)
                    .anyMatch(a -> a instanceof InternetAddress ia && address.equalsIgnoreCase(ia.getAddress()));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
