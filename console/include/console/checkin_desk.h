#pragma once

#include <QWidget>
#include <optional>
#include <vector>

#include "console/live_feed.h"
#include "console/session.h"
#include "station/checkin/checkin.h"
#include "vision/active_challenge.h"

class QLabel;
class QListWidget;
class QPushButton;
class QTimer;

namespace examguard::console {

class SeatModel;
class StationThread;

// The preview with the face box and the prompt the candidate must follow.
class PreviewView final : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    void setImage(const QImage& image);
    void setFaceBox(const QRect& box) {
        m_box = box;
        update();
    }
    void setPrompt(const QString& prompt) {
        m_prompt = prompt;
        update();
    }
    const QImage& image() const { return m_image; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_image;
    QRect m_box;
    QString m_prompt;
};

// The entrance desk (人证核验): the card read (or typed), the roster's view of it, the live
// camera, and the decision of the station core, which the proctor may override with a reason.
// Everything heavy (face models, analysis, storing) runs on the station thread. Keys: F2 card
// file, F3 typed card, F5 or Enter check, F6 override, Esc clear.
class CheckinDesk final : public QWidget {
    Q_OBJECT
public:
    CheckinDesk(StationThread& worker, SeatModel* seats, QWidget* parent = nullptr);
    ~CheckinDesk() override;

    void setSession(const Session& session) { m_session = session; }
    void setSitting(std::int64_t sittingId);
    // The live source: /dev/videoN, rtsp://… or a recorded file; empty stops the preview.
    void setLiveSource(const QString& source);
    // "random", "none" or steps like "blink,left,right" (as the CLI's --challenge).
    bool setChallenge(const QString& challenge);

    // The card as the reader or the proctor gave it; looks the holder up in the roster.
    void presentCard(const station::checkin::IdCard& card);
    void openCardFile();
    void enterCardByHand();
    void startCheck();
    void overrideDecision();
    void clear();

    // For tests and the console's status: what the desk shows.
    QString decisionShown() const;
    QString cardShown() const;
    QString statusShown() const;
    QString detailsShown() const;
    std::optional<std::int64_t> lastCheckinId() const { return m_lastCheckin; }
    bool busy() const { return m_busy; }
    LiveFeed* feed() const { return m_feed; }

signals:
    void checkedIn(qint64 checkinId);
    void overridden(qint64 checkinId);
    void cardRead();
    void statusChanged(const QString& status);

private:
    void setStatus(const QString& text);
    void showOutcome(const station::checkin::Outcome& outcome, const QString& liveness,
                     double threshold);
    void analyse(FrameBatch frames);
    void pollCardReader();
    void updateQueue();
    void updateButtons();
    void requestFaceBox();

    StationThread& m_worker;
    SeatModel* m_seats;
    Session m_session;
    std::int64_t m_sittingId = 0;
    std::vector<vision::ChallengeStep> m_steps;
    QString m_challenge = QStringLiteral("random");
    std::optional<station::checkin::IdCard> m_card;
    std::optional<std::int64_t> m_lastCheckin;
    bool m_busy = false;
    bool m_boxPending = false;
    LiveFeed* m_feed = nullptr;

    PreviewView* m_preview;
    QLabel* m_idPhoto;
    QLabel* m_rosterPhoto;
    QLabel* m_livePhoto;
    QLabel* m_cardInfo;
    QLabel* m_decision;
    QLabel* m_details;
    QLabel* m_status;
    QListWidget* m_queue;
    QPushButton* m_cardFile;
    QPushButton* m_cardHand;
    QPushButton* m_check;
    QPushButton* m_override;
    QTimer* m_boxTimer;
    QTimer* m_readerTimer;
};

}  // namespace examguard::console
