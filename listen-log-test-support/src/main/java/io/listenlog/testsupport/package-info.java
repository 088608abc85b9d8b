@NullMarked
package io.listenlog.testsupport;

import org.jspecify.annotations.NullMarked;
