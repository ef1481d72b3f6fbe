package dev.flick.hub.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Email through Spring Mail (SMTP_* settings): one multipart message, plain text and HTML. */
@Component
class EmailSender {

    private final ObjectProvider<JavaMailSender> mail;
    private final ObjectProvider<MailProperties> mailProperties;
    private final NotifySettings settings;
    private final PublicLinks links;
    private final RecipientLanguage languages;

    EmailSender(ObjectProvider<JavaMailSender> mail, ObjectProvider<MailProperties> mailProperties, NotifySettings settings,
                PublicLinks links, RecipientLanguage languages) {
        this.languages = languages;
        this.mail = mail;
        this.mailProperties = mailProperties;
        this.settings = settings;
        this.links = links;
    }

    Outcome send(Channel channel, Notice notice) {
        JavaMailSender sender = mail.getIfAvailable();
        MailProperties props = mailProperties.getIfAvailable();
        if (sender == null || props == null || props.getHost() == null || props.getHost().isBlank()) {
            return Outcome.failed("SMTP is not configured (set SMTP_HOST)");
        }
        EmailMessage email = EmailMessage.of(notice, notice.serverId() == null ? links.base() : links.moment(notice.serverId(), notice.ts()),
                languages.of(channel));
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(settings.mailFrom() == null || settings.mailFrom().isBlank() ? "flick@localhost" : settings.mailFrom());
            helper.setTo(channel.to().toArray(String[]::new));
            helper.setSubject(email.subject());
            helper.setText(email.text(), email.html());
            sender.send(message);
            return new Outcome.Delivered();
        } catch (MailException | MessagingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return Outcome.failed("SMTP: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": "
                    + root.getMessage().lines().findFirst().orElse("")));
        }
    }
}
