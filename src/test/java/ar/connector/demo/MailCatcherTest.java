package ar.connector.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** The demo's SMTP catcher writes every message it gets once, in the order they arrived. */
class MailCatcherTest {

    @Test
    void everyMessageIsWrittenOnceInArrivalOrderWhateverItsRecipients() throws Exception {
        Path folder = Path.of("target", "mail-catcher-" + UUID.randomUUID());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> sent = List.of("1 factura Ana", "2 factura Beto", "3 reenvío Ana", "4 nota de crédito Ana",
                "5 factura Beto y copia a Ana", "6 reenvío Beto");
        try (MailCatcher catcher = MailCatcher.start(port, folder)) {
            send(port, sent.get(0), "ana@example.com");
            send(port, sent.get(1), "beto@example.com");
            send(port, sent.get(2), "ana@example.com");
            send(port, sent.get(3), "ana@example.com");
            send(port, sent.get(4), "beto@example.com", "ana@example.com");
            send(port, sent.get(5), "beto@example.com");
        }
        assertThat(subjects(folder)).containsExactlyElementsOf(sent);

        // A second start on the same folder numbers after the files already there.
        try (MailCatcher again = MailCatcher.start(port, folder)) {
            send(port, "7 otra sesión", "ana@example.com");
        }
        assertThat(subjects(folder)).hasSize(7).endsWith("7 otra sesión");
    }

    private static void send(int port, String subject, String... to) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(port));
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress("facturas@tienda-demo.com.ar"));
        for (String address : to) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        message.setSubject(subject, "UTF-8");
        message.setText("Cuerpo de " + subject, "UTF-8");
        Transport.send(message);
    }

    /** The subjects of the folder's files, by file name (0001.eml, 0002.eml, ...). */
    private static List<String> subjects(Path folder) throws Exception {
        List<String> subjects = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    subjects.add(new MimeMessage(Session.getInstance(new Properties()), in).getSubject());
                }
            }
        }
        return subjects;
    }
}
