@NullMarked
package io.listenlog.servlet;

import org.jspecify.annotations.NullMarked;
