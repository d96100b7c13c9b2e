package io.autobus.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Sends plain-text mail through the SMTP server of {@code SMTP_URL}. */
public final class Mailer {
    private final Session session;
    private final InternetAddress from;

    public Mailer(URI smtpUrl, String from) {
        boolean ssl = "smtps".equals(smtpUrl.getScheme());
        int port = smtpUrl.getPort() > 0 ? smtpUrl.getPort() : ssl ? 465 : 587;
        var properties = new Properties();
        properties.put("mail.transport.protocol", ssl ? "smtps" : "smtp");
        String prefix = ssl ? "mail.smtps." : "mail.smtp.";
        properties.put(prefix + "host", smtpUrl.getHost());
        properties.put(prefix + "port", Integer.toString(port));
        properties.put(prefix + "connectiontimeout", "10000");
        properties.put(prefix + "timeout", "20000");
        properties.put("mail.smtp.starttls.enable", "true");
        String userInfo = smtpUrl.getRawUserInfo();
        if (userInfo != null) {
            String[] parts = userInfo.split(":", 2);
            String user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            String password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            properties.put(prefix + "auth", "true");
            this.session = Session.getInstance(properties, new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            });
        } else {
            this.session = Session.getInstance(properties);
        }
        try {
            this.from = new InternetAddress(from);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("AUTOBUS_MAIL_FROM is not an e-mail address: " + from, e);
        }
    }

    public void send(String to, String subject, String body) throws MessagingException {
        var message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        message.setSubject(subject, "UTF-8");
        message.setText(body, "UTF-8");
        Transport.send(message);
    }
}
