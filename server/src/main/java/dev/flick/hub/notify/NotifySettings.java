package dev.flick.hub.notify;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How alerts reach people. SMTP itself is Spring Mail's (spring.mail.*, mapped from SMTP_* in application.yml);
 * the SMTP password stays in the environment and is never stored.
 *
 * @param publicUrl           FLick's address as users reach it, for links in emails and webhooks (FLICK_PUBLIC_URL);
 *                            blank: http://HOST:PORT
 * @param mailFrom            the sender address (SMTP_FROM)
 * @param webhookAllowPrivate let every webhook reach loopback/private/link-local addresses (FLICK_WEBHOOK_ALLOW_PRIVATE);
 *                            otherwise only channels an admin marked allowPrivate may
 * @param retryBase           first retry delay of a failed delivery; each next one is four times longer
 * @param maxAttempts         attempts before a delivery is marked failed for good
 */
@ConfigurationProperties("flick.notify")
public record NotifySettings(
        @DefaultValue("") String publicUrl,
        @DefaultValue("") String mailFrom,
        @DefaultValue("false") boolean webhookAllowPrivate,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("30s") Duration retryBase,
        @DefaultValue("5") int maxAttempts) {}
