package dev.cinder.client;

/**
 * The outcome of a history recovery, from the {@code recovery} block of a join reply.
 *
 * @param recovered true when every broadcast after the client's position follows the reply
 * @param position the topic's latest position when the server read its history
 * @param reason why nothing could be recovered ({@code no_position}, {@code too_old}, ...), null when recovered
 */
public record Recovery(boolean recovered, String position, String reason) {}
