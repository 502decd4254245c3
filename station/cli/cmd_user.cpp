#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "labels.h"
#include "station/i18n.h"
#include "station/users.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;

namespace {

struct UserArgs {
    std::string login;
    std::string role;
    bool passwordStdin = false;
};

std::optional<std::string> askNewPassword(const UserArgs& args) {
    auto first = readPassword(tr("New password: "), args.passwordStdin);
    if (!first || args.passwordStdin) {
        return first;
    }
    auto second = readPassword(tr("Repeat the password: "), false);
    if (!second || *second != *first) {
        std::cerr << tr("The passwords do not match.") << '\n';
        return std::nullopt;
    }
    return first;
}

int noPassword(const CliContext& ctx) {
    return ctx.reportError({station::ErrorCode::BadInput,
                            "no password given: type it at the prompt or pass --password-stdin"});
}

int addUser(const CliContext& ctx, const UserArgs& args) {
    const auto role = station::parseRole(args.role);
    if (!role) {
        std::cerr << trf("Unknown role '{}': use proctor, sysadmin, inspector or admin.", args.role)
                  << '\n';
        return kExitUsage;
    }
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto password = askNewPassword(args);
    if (!password) {
        return noPassword(ctx);
    }
    station::UserStore users(*station);
    auto added = users.add(args.login, *role, *password, cliActor());
    if (!added) {
        return ctx.reportError(added.error());
    }
    if (ctx.json) {
        ctx.printJson({{"login", added->login}, {"role", station::roleName(added->role)}});
    } else {
        std::cout << trf("User {} added with role {}.", added->login,
                         roleLabel(station::roleName(*role)))
                  << '\n';
    }
    return kExitOk;
}

int changePassword(const CliContext& ctx, const UserArgs& args) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto password = askNewPassword(args);
    if (!password) {
        return noPassword(ctx);
    }
    station::UserStore users(*station);
    if (auto r = users.changePassword(args.login, *password, cliActor()); !r) {
        return ctx.reportError(r.error());
    }
    std::cout << trf("Password of {} changed.", args.login) << '\n';
    return kExitOk;
}

int unlockUser(const CliContext& ctx, const UserArgs& args) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    station::UserStore users(*station);
    if (auto r = users.unlock(args.login, cliActor()); !r) {
        return ctx.reportError(r.error());
    }
    std::cout << trf("User {} unlocked.", args.login) << '\n';
    return kExitOk;
}

int login(const CliContext& ctx, const UserArgs& args) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    auto password = readPassword(tr("Password: "), args.passwordStdin);
    if (!password) {
        return noPassword(ctx);
    }
    station::UserStore users(*station);
    auto user = users.authenticate(args.login, *password);
    if (!user) {
        return ctx.reportError(user.error());
    }
    if (ctx.json) {
        ctx.printJson({{"login", user->login}, {"role", station::roleName(user->role)}});
    } else {
        std::cout << trf("Signed in as {} ({}).", user->login,
                         roleLabel(station::roleName(user->role)))
                  << '\n';
    }
    return kExitOk;
}

int listUsers(const CliContext& ctx) {
    auto station = ctx.openStation();
    if (!station) {
        return ctx.reportError(station.error());
    }
    station::UserStore users(*station);
    auto all = users.list();
    if (!all) {
        return ctx.reportError(all.error());
    }
    if (ctx.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& u : *all) {
            list.push_back(
                {{"login", u.login},
                 {"role", station::roleName(u.role)},
                 {"locked_until", u.lockedUntil ? nlohmann::json(*u.lockedUntil) : nullptr},
                 {"created_at", u.createdAt}});
        }
        ctx.printJson({{"users", list}});
        return kExitOk;
    }
    std::cout << fmt::format("{:<20} {:<12} {}\n", tr("LOGIN"), tr("ROLE"), tr("LOCKED UNTIL"));
    for (const auto& u : *all) {
        std::cout << fmt::format("{:<20} {:<12} {}\n", u.login,
                                 roleLabel(station::roleName(u.role)), u.lockedUntil.value_or("-"));
    }
    return kExitOk;
}

}  // namespace

void registerUserCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* user =
        app.add_subcommand("user", tr("Station users: proctors, administrators, inspectors"));
    user->require_subcommand(1);
    auto args = std::make_shared<UserArgs>();

    auto* add = user->add_subcommand("add", tr("Add a user"));
    add->add_option("login", args->login, tr("Login name"))->required();
    add->add_option("-r,--role", args->role, tr("proctor, sysadmin, inspector or admin"))
        ->required();
    add->add_flag("--password-stdin", args->passwordStdin, tr("Read the password from stdin"));
    add->callback([&ctx, &exitCode, args] { exitCode = addUser(ctx, *args); });

    auto* passwd = user->add_subcommand("passwd", tr("Change a user's password"));
    passwd->add_option("login", args->login, tr("Login name"))->required();
    passwd->add_flag("--password-stdin", args->passwordStdin, tr("Read the password from stdin"));
    passwd->callback([&ctx, &exitCode, args] { exitCode = changePassword(ctx, *args); });

    auto* list = user->add_subcommand("list", tr("List users"));
    list->callback([&ctx, &exitCode] { exitCode = listUsers(ctx); });

    auto* unlock = user->add_subcommand("unlock", tr("Lift a lock-out after failed logins"));
    unlock->add_option("login", args->login, tr("Login name"))->required();
    unlock->callback([&ctx, &exitCode, args] { exitCode = unlockUser(ctx, *args); });

    auto* check =
        user->add_subcommand("login", tr("Check a login and password (as the console does)"));
    check->add_option("login", args->login, tr("Login name"))->required();
    check->add_flag("--password-stdin", args->passwordStdin, tr("Read the password from stdin"));
    check->callback([&ctx, &exitCode, args] { exitCode = login(ctx, *args); });
}

}  // namespace examguard::cli
