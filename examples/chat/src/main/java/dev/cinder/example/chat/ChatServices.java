package dev.cinder.example.chat;

import dev.cinder.offload.Offloader;
import dev.cinder.presence.Presence;

/**
 * What the example's channels share: the parts of the application that outlive a single join.
 *
 * @param messages the message history
 * @param blocks who blocked whom
 * @param newMessages validation, sanitizing, rate limiting and storage of {@code new_msg}
 * @param jobs heavy work ({@code process_data}) off the channels
 * @param presence who is in which room, on every node
 * @param limits budgets for {@code typing} and {@code update_status}
 */
public record ChatServices(MessageStore messages, BlockList blocks, NewMessages newMessages, Offloader jobs,
    Presence presence, RoomEventLimits limits) {}
