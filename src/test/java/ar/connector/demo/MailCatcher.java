package ar.connector.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.MessagingException;

/**
 * The demo's local SMTP server (GreenMail): it accepts the connector's receipts and alert digests and
 * writes each message, once and in the order it arrived, to {@code <folder>/NNNN.eml}, so a merchant
 * trying the demo can open them in any mail client. Numbering goes on after the files already there.
 *
 * <p>Messages are caught as GreenMail delivers them, not read back from its mailboxes: those are kept
 * per recipient, so their concatenation is not the arrival order, and a message to two people is in both.
 */
public final class MailCatcher implements AutoCloseable {

    private static final Pattern NUMBERED = Pattern.compile("(\\d{4,})\\.eml");

    private final GreenMail server;
    private final int port;
    private final Path folder;
    private int written;
    /** The message being delivered: GreenMail hands it over once per recipient, one recipient after another. */
    private MovingMessage last;

    private MailCatcher(int port, Path folder) {
        this.port = port;
        this.folder = folder;
        this.server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    public static MailCatcher start(int port, Path folder) {
        MailCatcher catcher = new MailCatcher(port, folder);
        try {
            Files.createDirectories(folder);
            catcher.written = highestNumber(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catcher.server.start();
        UserManager users = catcher.server.getUserManager();
        MessageDeliveryHandler mailbox = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            catcher.caught(message);
            return mailbox.handle(message, recipient);
        });
        return catcher;
    }

    public int port() {
        return port;
    }

    public Path folder() {
        return folder;
    }

    private synchronized void caught(MovingMessage message) {
        if (message == last) {
            return; // the same message, for its next recipient
        }
        last = message;
        written++;
        Path file = folder.resolve(String.format("%04d.eml", written));
        try (OutputStream out = Files.newOutputStream(file)) {
            message.getMessage().writeTo(out);
        } catch (IOException | MessagingException e) {
            System.err.println("demo mail catcher: could not write " + file + ": " + e.getMessage());
        }
    }

    private static int highestNumber(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> NUMBERED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
