package dev.flick.hub.alerts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How calm alerting is.
 *
 * @param flapCooldown an incident that recovers and fires again within this time re-opens the same incident without
 *                     telling anyone again; its "resolved" notice waits until it has stayed resolved this long
 *                     (FLICK_ALERT_FLAP_COOLDOWN; 0: no dampening, resolves are told at once)
 */
@ConfigurationProperties("flick.alerts")
public record AlertSettings(@DefaultValue("5m") Duration flapCooldown) {}
