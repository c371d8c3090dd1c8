<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>Kiosk</name>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="184"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="157"/>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="185"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="150"/>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="186"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="142"/>
        <source>Contact tracing</source>
        <translation>Contact tracing</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="187"/>
        <location filename="../../kiosk/ui/admin_device.py" line="115"/>
        <source>This device</source>
        <translation>This device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="190"/>
        <source>Lock screen</source>
        <translation>Lock screen</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="225"/>
        <source>The new PIN is saved</source>
        <translation>The new PIN is saved</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="306"/>
        <source>Tap again to quit</source>
        <translation>Tap again to quit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin.py" line="314"/>
        <source>Quit the kiosk</source>
        <translation>Quit the kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="334"/>
        <source>Save to:</source>
        <translation>Save to:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="335"/>
        <source>Find USB</source>
        <translation>Find USB</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="336"/>
        <source>Folder</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="380"/>
        <source>USB: {name}</source>
        <translation>USB: {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="382"/>
        <source>Kiosk data folder</source>
        <translation>Kiosk data folder</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="441"/>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="503"/>
        <source>Personal QR</source>
        <translation>Personal QR</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="506"/>
        <location filename="../../kiosk/ui/texts.py" line="51"/>
        <source>Vaccine certificate</source>
        <translation>Vaccine certificate</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="507"/>
        <location filename="../../kiosk/ui/manual.py" line="279"/>
        <location filename="../../kiosk/ui/scan_page.py" line="259"/>
        <location filename="../../kiosk/ui/texts.py" line="52"/>
        <source>Manual entry</source>
        <translation>Manual entry</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="508"/>
        <location filename="../../kiosk/ui/texts.py" line="53"/>
        <source>Venue code</source>
        <translation>Venue code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_common.py" line="509"/>
        <location filename="../../kiosk/ui/texts.py" line="54"/>
        <source>Unknown code</source>
        <translation>Unknown code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="116"/>
        <source>Checkpoint</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="117"/>
        <source>Device ID</source>
        <translation>Device ID</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="118"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="119"/>
        <source>Waiting to send</source>
        <translation>Waiting to send</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="120"/>
        <location filename="../../kiosk/ui/admin_device.py" line="124"/>
        <source>Enroll this device</source>
        <translation>Enroll this device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="121"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="166"/>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="122"/>
        <source>Enrollment code</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="154"/>
        <source>Not enrolled: the kiosk works offline</source>
        <translation>Not enrolled: the kiosk works offline</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="161"/>
        <source>{n} records</source>
        <translation>{n} records</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="163"/>
        <source>{n} refused by the server</source>
        <translation>{n} refused by the server</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="179"/>
        <source>Not a server address: {reason}</source>
        <translation>Not a server address: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="183"/>
        <source>Enter the server address and the enrollment code</source>
        <translation>Enter the server address and the enrollment code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="187"/>
        <source>Enrolling…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="221"/>
        <source>Enrolled, but the settings were not saved: {reason}</source>
        <translation>Enrolled, but the settings were not saved: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="243"/>
        <source>Enrolled as checkpoint {name}</source>
        <translation>Enrolled as checkpoint {name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="252"/>
        <source>The enrollment code was refused (wrong, used or expired)</source>
        <translation>The enrollment code was refused (wrong, used or expired)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="254"/>
        <source>The server could not be reached: {reason}</source>
        <translation>The server could not be reached: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_device.py" line="256"/>
        <location filename="../../kiosk/ui/admin_device.py" line="259"/>
        <source>Enrollment failed: {reason}</source>
        <translation>Enrollment failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="153"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Entries</source>
        <translation>Entries</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="154"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="195"/>
        <location filename="../../kiosk/ui/chart.py" line="113"/>
        <source>Exits</source>
        <translation>Exits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="155"/>
        <source>Peak occupancy</source>
        <translation>Peak occupancy</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="156"/>
        <source>Inside at the start of the day</source>
        <translation>Inside at the start of the day</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="159"/>
        <source>Entries and exits by hour</source>
        <translation>Entries and exits by hour</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Kind of code</source>
        <translation>Kind of code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>In</source>
        <translation>In</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Out</source>
        <translation>Out</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <source>Referred</source>
        <translation>Referred</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="161"/>
        <source>Refused</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="164"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="154"/>
        <source>Export CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="189"/>
        <source>The report could not be made: {reason}</source>
        <translation>The report could not be made: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="197"/>
        <source>{n} automatic</source>
        <translation>{n} automatic</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="201"/>
        <source>at {time}</source>
        <translation>at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="224"/>
        <location filename="../../kiosk/ui/admin_reports.py" line="250"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="278"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="296"/>
        <source>Not exported: {reason}</source>
        <translation>Not exported: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="228"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="281"/>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_reports.py" line="245"/>
        <location filename="../../kiosk/ui/admin_trace.py" line="291"/>
        <source>{n} records written to {path}</source>
        <translation>{n} records written to {path}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="159"/>
        <source>Camera / source</source>
        <translation>Camera / source</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="160"/>
        <source>Gate mode</source>
        <translation>Gate mode</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="161"/>
        <source>Capacity</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="162"/>
        <source>Duplicate window (seconds)</source>
        <translation>Duplicate window (seconds)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="163"/>
        <source>Verdict shown for (seconds)</source>
        <translation>Verdict shown for (seconds)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="164"/>
        <source>Accepted codes</source>
        <translation>Accepted codes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="165"/>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="167"/>
        <source>Automatic checkout time</source>
        <translation>Automatic checkout time</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="168"/>
        <source>Keep records for (days)</source>
        <translation>Keep records for (days)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="175"/>
        <source>0 = no limit</source>
        <translation>0 = no limit</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="177"/>
        <source>The same person again within this time is not recorded twice</source>
        <translation>The same person again within this time is not recorded twice</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="180"/>
        <source>HH:MM, every night everyone still inside is checked out. Empty = off</source>
        <translation>HH:MM, every night everyone still inside is checked out. Empty = off</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="182"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="277"/>
        <source>off</source>
        <translation>off</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="183"/>
        <source>Not enrolled</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="184"/>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="185"/>
        <source>Undo changes</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="186"/>
        <source>Change PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="228"/>
        <source>Nothing to save: no change</source>
        <translation>Nothing to save: no change</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="241"/>
        <location filename="../../kiosk/ui/admin_settings.py" line="248"/>
        <source>Not saved: {reason}</source>
        <translation>Not saved: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_settings.py" line="253"/>
        <source>Saved and applied</source>
        <translation>Saved and applied</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="143"/>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="144"/>
        <source>Margin (minutes)</source>
        <translation>Margin (minutes)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="145"/>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="146"/>
        <source>Scan the code, or type the ID or phone number</source>
        <translation>Scan the code, or type the ID or phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="147"/>
        <source>from: any day</source>
        <translation>from: any day</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="148"/>
        <source>to: any day</source>
        <translation>to: any day</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="149"/>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="151"/>
        <source>Together (min)</source>
        <translation>Together (min)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="187"/>
        <source>Not a date: {text}</source>
        <translation>Not a date: {text}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="193"/>
        <source>The end of the period is before its start</source>
        <translation>The end of the period is before its start</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="200"/>
        <source>Scan or type the person&apos;s code first</source>
        <translation>Scan or type the person&apos;s code first</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="211"/>
        <source>Searching…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="231"/>
        <source>This is not a personal code, an ID number or a phone number</source>
        <translation>This is not a personal code, an ID number or a phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="242"/>
        <source>The search failed: {reason}</source>
        <translation>The search failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="248"/>
        <source>{n} people present at the same time as {key} (margin {m} min)</source>
        <translation>{n} people present at the same time as {key} (margin {m} min)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/admin_trace.py" line="258"/>
        <source>still inside</source>
        <translation>still inside</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/chart.py" line="77"/>
        <source>No data</source>
        <translation>No data</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="48"/>
        <source>Temporarily out of service, please call the site manager</source>
        <translation>Temporarily out of service, please call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="102"/>
        <source>Camera: starting</source>
        <translation>Camera: starting</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="157"/>
        <source>Hold the code closer</source>
        <translation>Hold the code closer</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="157"/>
        <source>Hold the code still</source>
        <translation>Hold the code still</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="159"/>
        <source>Increase the phone&apos;s screen brightness</source>
        <translation>Increase the phone&apos;s screen brightness</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="166"/>
        <source>Camera disconnected</source>
        <translation>Camera disconnected</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="170"/>
        <source>Camera OK</source>
        <translation>Camera OK</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="174"/>
        <source>Camera shows nothing (covered?)</source>
        <translation>Camera shows nothing (covered?)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="231"/>
        <source>Offline (not enrolled)</source>
        <translation>Offline (not enrolled)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="234"/>
        <source>Needs re-enrollment</source>
        <translation>Needs re-enrollment</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="236"/>
        <source>{n} waiting to send</source>
        <translation>{n} waiting to send</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="238"/>
        <location filename="../../kiosk/ui/main_window.py" line="242"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="242"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="243"/>
        <source>last synced {n} min ago</source>
        <translation>last synced {n} min ago</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="69"/>
        <source>Fever</source>
        <translation>Fever</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="70"/>
        <source>Cough</source>
        <translation>Cough</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="71"/>
        <source>Shortness of breath</source>
        <translation>Shortness of breath</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="72"/>
        <source>Loss of taste or smell</source>
        <translation>Loss of taste or smell</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="73"/>
        <source>Contact with a case (F0) in the last 14 days</source>
        <translation>Contact with a case (F0) in the last 14 days</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="74"/>
        <source>Coming from an epidemic zone</source>
        <translation>Coming from an epidemic zone</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="280"/>
        <source>Full name</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="280"/>
        <source>ID number (CCCD/CMND)</source>
        <translation>ID number (CCCD/CMND)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="280"/>
        <source>Phone number</source>
        <translation>Phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="281"/>
        <source>Year of birth</source>
        <translation>Year of birth</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="283"/>
        <source>Proxy health declaration</source>
        <translation>Proxy health declaration</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="288"/>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="289"/>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="290"/>
        <source>Any “Yes”: the visitor sees the medical staff</source>
        <translation>Any “Yes”: the visitor sees the medical staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="291"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="292"/>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="297"/>
        <source>Declared</source>
        <translation>Declared</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="297"/>
        <source>Not declared</source>
        <translation>Not declared</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="327"/>
        <source>Enter the visitor&apos;s full name</source>
        <translation>Enter the visitor&apos;s full name</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="332"/>
        <source>Enter an ID number or a phone number</source>
        <translation>Enter an ID number or a phone number</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="336"/>
        <source>An ID number has 12 digits (CCCD) or 9 (CMND)</source>
        <translation>An ID number has 12 digits (CCCD) or 9 (CMND)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="341"/>
        <source>A phone number has 9 to 11 digits</source>
        <translation>A phone number has 9 to 11 digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/manual.py" line="350"/>
        <source>Year of birth: from {first} to {last}</source>
        <translation>Year of birth: from {first} to {last}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="271"/>
        <location filename="../../kiosk/ui/scan_page.py" line="260"/>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="272"/>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="272"/>
        <source>Back to scanning</source>
        <translation>Back to scanning</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="301"/>
        <source>Enter the PIN</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="302"/>
        <source>Choose a new PIN (4 to 8 digits)</source>
        <translation>Choose a new PIN (4 to 8 digits)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="303"/>
        <source>Enter the same PIN again</source>
        <translation>Enter the same PIN again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="315"/>
        <source>Locked for {n} minutes</source>
        <translation>Locked for {n} minutes</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="331"/>
        <source>A PIN is 4 to 8 digits</source>
        <translation>A PIN is 4 to 8 digits</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="337"/>
        <source>The two PINs differ. Start again</source>
        <translation>The two PINs differ. Start again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="374"/>
        <source>Wrong PIN</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="381"/>
        <source>The stored PIN cannot be read: reset it from the command line</source>
        <translation>The stored PIN cannot be read: reset it from the command line</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="384"/>
        <source>The PIN could not be checked. Please try again</source>
        <translation>The PIN could not be checked. Please try again</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="388"/>
        <source>Saving the PIN…</source>
        <translation>Saving the PIN…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pin.py" line="397"/>
        <location filename="../../kiosk/ui/pin.py" line="410"/>
        <source>The PIN could not be saved: {reason}</source>
        <translation>The PIN could not be saved: {reason}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="256"/>
        <source>DEMO MODE</source>
        <translation>DEMO MODE</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="261"/>
        <source>Tiếng Việt</source>
        <translation>Tiếng Việt</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="270"/>
        <source>Put the QR code in the frame</source>
        <translation>Put the QR code in the frame</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="287"/>
        <source>Inside now: {n}</source>
        <translation>Inside now: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="294"/>
        <source>Today: in {n} · out {m}</source>
        <translation>Today: in {n} · out {m}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="299"/>
        <source>Clock not synchronised</source>
        <translation>Clock not synchronised</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/scan_page.py" line="328"/>
        <source>No sound device</source>
        <translation>No sound device</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="48"/>
        <source>Personal QR code</source>
        <translation>Personal QR code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="49"/>
        <source>Chip ID card (CCCD)</source>
        <translation>Chip ID card (CCCD)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="50"/>
        <source>Health-insurance card (BHYT)</source>
        <translation>Health-insurance card (BHYT)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="60"/>
        <location filename="../../kiosk/ui/texts.py" line="64"/>
        <source>IN</source>
        <translation>IN</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="60"/>
        <location filename="../../kiosk/ui/texts.py" line="64"/>
        <source>OUT</source>
        <translation>OUT</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="64"/>
        <source>AUTO</source>
        <translation>AUTO</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="69"/>
        <source>Full inside, please wait</source>
        <translation>Full inside, please wait</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="70"/>
        <source>Under quarantine, please see the medical staff</source>
        <translation>Under quarantine, please see the medical staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="72"/>
        <source>Under health monitoring (yellow)</source>
        <translation>Under health monitoring (yellow)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="73"/>
        <source>This kind of code is not accepted here</source>
        <translation>This kind of code is not accepted here</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="74"/>
        <source>This is the place&apos;s code. Please show your personal code</source>
        <translation>This is the place&apos;s code. Please show your personal code</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="75"/>
        <source>Code not recognised. Please show your personal QR, ID card or health-insurance card</source>
        <translation>Code not recognised. Please show your personal QR, ID card or health-insurance card</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="78"/>
        <source>The certificate&apos;s signature is not valid</source>
        <translation>The certificate&apos;s signature is not valid</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="79"/>
        <source>Signature not verified (no key list)</source>
        <translation>Signature not verified (no key list)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="80"/>
        <source>Certificate expired</source>
        <translation>Certificate expired</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="81"/>
        <source>Health declaration: please see the medical staff</source>
        <translation>Health declaration: please see the medical staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="82"/>
        <source>Closed by the nightly checkout</source>
        <translation>Closed by the nightly checkout</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="93"/>
        <source>born {year}</source>
        <translation>born {year}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="107"/>
        <source>Already recorded at {time}</source>
        <translation>Already recorded at {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="116"/>
        <source>Welcome in</source>
        <translation>Welcome in</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="120"/>
        <source>Exit recorded</source>
        <translation>Exit recorded</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="125"/>
        <source>Please see the medical staff</source>
        <translation>Please see the medical staff</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="129"/>
        <source>Entry not allowed</source>
        <translation>Entry not allowed</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="138"/>
        <source>Storage is full. Please call the site manager</source>
        <translation>Storage is full. Please call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="140"/>
        <source>The record could not be saved. Please try again or call the site manager</source>
        <translation>The record could not be saved. Please try again or call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="142"/>
        <source>NOT RECORDED</source>
        <translation>NOT RECORDED</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="148"/>
        <source>Storage full: scans are NOT recorded. Call the site manager</source>
        <translation>Storage full: scans are NOT recorded. Call the site manager</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="150"/>
        <source>Storage almost full: call the site manager</source>
        <translation>Storage almost full: call the site manager</translation>
    </message>
    <message>
        <source>Minutes together</source>
        <translation type="obsolete">Minutes together</translation>
    </message>
    <message>
        <source>Look for USB again</source>
        <translation type="obsolete">Look for USB again</translation>
    </message>
    <message>
        <source>English</source>
        <translation type="obsolete">English</translation>
    </message>
</context>
</TS>
