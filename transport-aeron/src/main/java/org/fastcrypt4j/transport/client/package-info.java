/**
 * Links between clients (model owners, data owners, queriers) and the three servers: the clients file with each
 * client's roles and pinned key ({@link org.fastcrypt4j.transport.client.ClientsConfig}), and an authenticated,
 * encrypted message channel over TCP with a Noise KK handshake ({@link org.fastcrypt4j.transport.client.ClientChannel}).
 */
package org.fastcrypt4j.transport.client;
