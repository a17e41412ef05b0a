# One place for the compile settings of every target, and one helper to add a test.

function(activity_apply_settings target)
    target_compile_features(${target} PUBLIC cxx_std_20)
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_CAST_FROM_BYTEARRAY
        QT_NO_FOREACH
        QT_USE_QSTRINGBUILDER
        QT_DISABLE_DEPRECATED_BEFORE=0x060400)
    # ActivityConfig.h (generated from cmake/ActivityConfig.h.in); public: headers such as
    # SecretStore.h use it.
    target_include_directories(${target} PUBLIC ${PROJECT_BINARY_DIR}/generated)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror=switch)
    if(ACTIVITY_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    # Every test executable links the layers statically, with their debug information: compressed,
    # a build tree takes 2.4 times less disk (a CI run builds three trees on a small disk).
    target_link_options(${target} PRIVATE -Wl,--compress-debug-sections=zlib)
    if(ACTIVITY_FUZZ)
        # libFuzzer coverage for every target; only fuzz/'s executables link libFuzzer's main().
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                                                 -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    elseif(ACTIVITY_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

# activity_add_test(name SOURCES a.cpp ... LIBS lib ... [GUI|WEBENGINE|KEYCHAIN] [TIMEOUT s] [LABELS ...])
#   GUI       widget test on the offscreen platform
#   WEBENGINE browser test on the X display that tools/run-tests provides (Xvfb); may start the
#             sign-in helper (activity-signin)
#   KEYCHAIN  needs the private Secret Service that tools/run-tests unlocks
#
# Every test but the WebEngine ones runs on the offscreen platform with DISPLAY unset. Qt's offscreen
# plugin opens the X display named by DISPLAY, if there is one, and uses GLX through it: every widget
# test that links Qt WebEngine (whose start-up creates a shared OpenGL context) would then load Mesa's
# swrast/llvmpipe driver and unload it again at exit - so the test saw a different GL stack with and
# without tools/run-tests' Xvfb, and under LeakSanitizer it reported a block Mesa keeps for the life
# of the driver (see tools/sanitizers/lsan.supp). Without DISPLAY no GL driver is ever loaded.
function(activity_add_test name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "GUI;WEBENGINE;KEYCHAIN" "TIMEOUT" "SOURCES;LIBS;LABELS")
    add_executable(${name} ${arg_SOURCES})
    activity_apply_settings(${name})
    target_link_libraries(${name} PRIVATE Qt6::Test ${arg_LIBS})
    # tests/support (activity_test_support, defined in tests/CMakeLists.txt): what every test may use.
    target_link_libraries(${name} PRIVATE activity_test_support)
    add_test(NAME ${name} COMMAND ${name} -nocrashhandler)

    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    set(env "QT_LOGGING_RULES=qt.qpa.*=false")
    set(labels ${arg_LABELS})
    if(arg_WEBENGINE)
        # The browser runs in the test or in the sign-in helper the test starts (which inherits this
        # environment and is found through ACTIVITY_SIGNIN_HELPER, as services/SignInBrowser reads it).
        list(APPEND env "QTWEBENGINE_DISABLE_SANDBOX=1" "QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu"
                        "QT_QPA_PLATFORM=xcb" "ACTIVITY_SIGNIN_HELPER=$<TARGET_FILE:activity-signin>")
        add_dependencies(${name} activity-signin)
        list(APPEND labels webengine)
    elseif(arg_GUI)
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
        list(APPEND labels gui)
    else()
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
    endif()
    if(arg_KEYCHAIN)
        list(APPEND labels keychain)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${arg_TIMEOUT} ENVIRONMENT "${env}" LABELS "${labels}")
    if(NOT arg_WEBENGINE)
        set_tests_properties(${name} PROPERTIES ENVIRONMENT_MODIFICATION "DISPLAY=unset:")
    endif()
endfunction()
