package dev.flick.hub.notify;

import dev.flick.hub.auth.UserAccounts;

import org.springframework.stereotype.Component;

/** The language a channel's messages are written in: its owner's profile language (English when unset). */
@Component
class RecipientLanguage {

    private final UserAccounts users;

    RecipientLanguage(UserAccounts users) {
        this.users = users;
    }

    NoticeText.Language of(Channel channel) {
        if (users == null || channel.ownerId() == null) return NoticeText.Language.EN;
        return users.listed(channel.ownerId()).map(u -> NoticeText.Language.of(u.locale())).orElse(NoticeText.Language.EN);
    }
}
