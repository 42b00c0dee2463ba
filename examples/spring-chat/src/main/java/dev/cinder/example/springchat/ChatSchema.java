package dev.cinder.example.springchat;

import dev.cinder.example.chat.Schema;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The plain example's tables, created at start when missing (the stores depend on this bean). */
final class ChatSchema {
  ChatSchema(JdbcClient jdbc) {
    Schema.statements().forEach(sql -> jdbc.sql(sql).update());
  }
}
